using Runcs.Integration.Tests.Support;
using Runcs.Spec;

namespace Runcs.Integration.Tests;

/// <summary>Every namespace type, new or joined by path, seen from inside the container.</summary>
public class NamespaceTests : ContainerTest
{
    private static readonly string[] All = ["pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time"];

    /// <summary>Namespace type → the name of its /proc/PID/ns link.</summary>
    private static string ProcName(string type) => type switch { "network" => "net", "mount" => "mnt", _ => type };

    [Test]
    public void Each_namespace_in_the_config_is_new_and_each_one_not_in_it_is_the_hosts()
    {
        foreach (var selected in new[] { All, ["mount"], ["mount", "pid", "uts"] })
        {
            var output = RunContainer(c =>
            {
                c.Linux!.Namespaces = selected.Select(t => new LinuxNamespace { Type = t }).ToList();
                if (selected.Contains("user"))
                    MapRootTo(c, 100000);
                if (!selected.Contains("uts"))
                    c.Hostname = null;
                if (!selected.Contains("network"))
                    c.Mounts!.RemoveAll(m => m.Type == "sysfs");
                c.Process!.Args = ["sh", "-c", string.Join(";", All.Select(t => $"echo {t} $(readlink /proc/self/ns/{ProcName(t)})"))];
            });
            output.ExitCode.Should().Be(0, output.ToString());
            foreach (var line in output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var (type, inside) = (line.Split(' ')[0], line.Split(' ')[1]);
                var host = new FileInfo($"/proc/self/ns/{ProcName(type)}").LinkTarget;
                if (selected.Contains(type))
                    inside.Should().NotBe(host, $"{type} is in the config");
                else
                    inside.Should().Be(host, $"{type} is not in the config");
            }
        }
    }

    [Test]
    public void Namespaces_given_by_path_are_joined()
    {
        var first = NewId("ns");
        var firstBundle = Bundle(first, c =>
        {
            c.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "cgroup" });
            c.Linux.Namespaces.Add(new LinuxNamespace { Type = "time" });
            c.Process!.Args = ["sleep", "100"];
        });
        RuncsOk("run", "-d", "--bundle", firstBundle.Dir, first);
        var pid = State(first).Pid;

        var output = RunContainer(c =>
        {
            c.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "cgroup" });
            c.Linux.Namespaces.Add(new LinuxNamespace { Type = "time" });
            foreach (var ns in c.Linux.Namespaces.Where(n => n.Type is "network" or "ipc" or "uts" or "pid" or "cgroup" or "time"))
                ns.Path = $"/proc/{pid}/ns/{ProcName(ns.Type)}";
            c.Hostname = null;
            c.Process!.Args = ["sh", "-c", "for n in net ipc uts pid cgroup time; do echo $n $(readlink /proc/self/ns/$n); done; hostname"];
        });
        output.ExitCode.Should().Be(0, output.ToString());
        var lines = output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in lines.Take(6))
        {
            var parts = line.Split(' ');
            parts[1].Should().Be(new FileInfo($"/proc/{pid}/ns/{parts[0]}").LinkTarget);
        }
        lines[6].Should().Be("runcs", "the joined uts namespace keeps the first container's hostname");
    }

    [Test]
    public void The_pid_namespace_makes_the_process_pid_1()
    {
        RunContainer(TestBundle.Shell("echo $$")).Stdout.Trim().Should().Be("1");
    }

    [Test]
    public void Hostname_and_domainname_are_set_in_the_new_uts_namespace()
    {
        var output = RunContainer(c =>
        {
            c.Hostname = "box";
            c.Domainname = "example.org";
            c.Process!.Args = ["sh", "-c", "hostname; cat /proc/sys/kernel/domainname"];
        });
        output.Stdout.Should().Be("box\nexample.org\n");
    }

    [Test]
    public void A_new_network_namespace_has_only_loopback()
    {
        RunContainer(TestBundle.Shell("ls /sys/class/net")).Stdout.Trim().Should().Be("lo");
    }

    [Test]
    public void A_user_namespace_maps_container_root_to_an_unprivileged_host_uid()
    {
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            c.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "user" });
            MapRootTo(c, 100000);
            c.Process!.Args = ["sh", "-c", "id -u; cat /proc/self/uid_map; sleep 100"];
        });
        RuncsOk("run", "-d", "--bundle", bundle.Dir, id);
        var pid = State(id).Pid;
        File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:")).Split('\t')[1].Should().Be("100000");
        File.ReadAllText($"/proc/{pid}/uid_map").Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().Equal("0", "100000", "65536\n");
    }

    [Test]
    public void A_cgroup_namespace_shows_the_containers_cgroup_as_its_root()
    {
        var output = RunContainer(c =>
        {
            c.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "cgroup" });
            c.Process!.Args = ["cat", "/proc/self/cgroup"];
        });
        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().OnlyContain(l => l.EndsWith(":/"));
    }

    [Test]
    public void A_time_namespace_applies_its_offsets()
    {
        var output = RunContainer(c =>
        {
            c.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "time" });
            c.Linux.TimeOffsets = new() { ["boottime"] = new LinuxTimeOffset { Secs = 86400 * 365 } };
            c.Process!.Args = ["cat", "/proc/uptime"];
        });
        output.ExitCode.Should().Be(0, output.ToString());
        double.Parse(output.Stdout.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(86400 * 365);
    }

    private static void MapRootTo(Config c, uint hostId)
    {
        c.Linux!.UidMappings = [new LinuxIdMapping { ContainerId = 0, HostId = hostId, Size = 65536 }];
        c.Linux.GidMappings = [new LinuxIdMapping { ContainerId = 0, HostId = hostId, Size = 65536 }];
    }
}
