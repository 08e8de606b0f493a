using Runcs.Shim.Commands;

namespace Runcs.Shim.Tests;

public class ShimFlagsTests
{
    [Test]
    public void Containerds_start_command_line_parses()
    {
        var flags = ShimFlags.Parse(["-namespace", "k8s.io", "-address", "/run/containerd/containerd.sock", "-publish-binary", "/usr/bin/containerd", "-id", "abc", "-debug", "start"]);
        flags.Should().Be(new ShimFlags
        {
            Namespace = "k8s.io", Address = "/run/containerd/containerd.sock", PublishBinary = "/usr/bin/containerd",
            Id = "abc", Debug = true, Action = "start",
        });
        flags.StateRoot().Should().Be("/run/containerd/runcs/k8s.io");
    }

    [Test]
    public void Go_flag_forms_with_equals_and_two_dashes_parse()
    {
        var flags = ShimFlags.Parse(["--namespace=default", "-id=x", "-bundle", "/b", "delete"]);
        (flags.Namespace, flags.Id, flags.Bundle, flags.Action).Should().Be(("default", "x", "/b", "delete"));
    }

    [Test]
    public void An_unknown_flag_is_refused()
    {
        var parse = () => ShimFlags.Parse(["-frobnicate", "1"]);
        parse.Should().Throw<ArgumentException>().WithMessage("flag provided but not defined: -frobnicate");
    }

    [Test]
    public void Socket_addresses_hash_containerds_address_namespace_and_group()
    {
        var a = ShimSocket.Address("/run/containerd/containerd.sock", "default", "c1");
        a.Should().StartWith("unix:///run/containerd/s/").And.HaveLength("unix:///run/containerd/s/".Length + 64);
        ShimSocket.Address("/run/containerd/containerd.sock", "default", "c2").Should().NotBe(a);
        ShimSocket.Address("/run/containerd/containerd.sock", "other", "c1").Should().NotBe(a);
    }

    [Test]
    public void A_pods_containers_share_the_sandboxs_shim()
    {
        var bundle = Directory.CreateTempSubdirectory("runcs-bundle-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(bundle, "config.json"), """{"annotations": {"io.kubernetes.cri.sandbox-id": "sandbox1"}}""");
            ShimSocket.GroupingOf(bundle, "app1").Should().Be("sandbox1");
            File.WriteAllText(Path.Combine(bundle, "config.json"), """{"annotations": {}}""");
            ShimSocket.GroupingOf(bundle, "app1").Should().Be("app1");
        }
        finally
        {
            Directory.Delete(bundle, true);
        }
    }
}
