using System.Text;
using System.Text.Json;

namespace Runcs.Spec.Tests;

public class StateTests
{
    [Test]
    public void Writes_the_state_in_the_spec_shape_and_reads_it_back()
    {
        var state = new State
        {
            OciVersion = SpecVersion.Current,
            Id = "web-1",
            Status = OciStatus.Running,
            Pid = 4242,
            Bundle = "/run/bundles/web-1",
            Annotations = new() { ["io.example/owner"] = "ops" },
        };

        var json = JsonSerializer.Serialize(state, SpecJsonContext.Compact.State);
        var back = SpecReader.Parse(Encoding.UTF8.GetBytes(json), "state.json", SpecJsonContext.Default.State);

        json.Should().Be("""{"ociVersion":"1.3.0","id":"web-1","status":"running","pid":4242,"bundle":"/run/bundles/web-1","annotations":{"io.example/owner":"ops"}}""");
        back.Should().BeEquivalentTo(state);
    }

    [Test]
    public void Leaves_out_absent_annotations_and_can_indent()
    {
        var state = new State { OciVersion = "1.3.0", Id = "c", Status = OciStatus.Stopped, Bundle = "/b" };

        var json = JsonSerializer.Serialize(state, SpecJsonContext.Indented.State);

        json.Should().Be("""
            {
              "ociVersion": "1.3.0",
              "id": "c",
              "status": "stopped",
              "pid": 0,
              "bundle": "/b"
            }
            """.ReplaceLineEndings("\n"));
    }

    [Test]
    public void Writes_text_unescaped_as_runc_does()
    {
        var state = new State { OciVersion = "1.0.2+dev", Id = "c", Status = OciStatus.Created, Bundle = "/srv/bündel" };

        JsonSerializer.Serialize(state, SpecJsonContext.Compact.State)
            .Should().Be("""{"ociVersion":"1.0.2+dev","id":"c","status":"created","pid":0,"bundle":"/srv/bündel"}""");
    }

    [Test]
    public void Reads_a_state_file()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{"ociVersion": "1.0.2", "id": "x", "status": "created", "pid": 7, "bundle": "/b", "extra": [1]}""");

            SpecReader.ReadState(file).Should().BeEquivalentTo(new State { OciVersion = "1.0.2", Id = "x", Status = "created", Pid = 7, Bundle = "/b" });
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Writes_the_container_process_state_sent_to_a_seccomp_agent()
    {
        var message = new ContainerProcessState
        {
            OciVersion = "1.3.0",
            Fds = [ContainerProcessState.SeccompFdName],
            Pid = 99,
            Metadata = "profile=default",
            State = new State { OciVersion = "1.3.0", Id = "c", Status = OciStatus.Creating, Pid = 99, Bundle = "/b" },
        };

        JsonSerializer.Serialize(message, SpecJsonContext.Compact.ContainerProcessState).Should().Be(
            """{"ociVersion":"1.3.0","fds":["seccompFd"],"pid":99,"metadata":"profile=default","state":{"ociVersion":"1.3.0","id":"c","status":"creating","pid":99,"bundle":"/b"}}""");
    }
}
