using System.Buffers.Binary;
using System.Net.Sockets;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Runcs.Shim.Api;
using Runcs.Shim.Ttrpc;
using Runcs.Shim.Ttrpc.Wire;

namespace Runcs.Shim.Tests;

/// <summary>A ttrpc server on a unix socket in a temp dir, driven by the shim's own client and by raw frames.</summary>
public class TtrpcServerTests
{
    private const string Service = "test.Service";

    private string dir = "";
    private TtrpcServer? server;
    private readonly TaskCompletionSource release = new();

    [SetUp]
    public void StartServer()
    {
        dir = Directory.CreateTempSubdirectory("runcs-ttrpc-").FullName;
        var methods = new MethodTable();
        methods.Add(Service, "Echo", StateRequest.Parser, r => new StateResponse { Id = r.Id, ExecId = r.ExecId });
        methods.Add(Service, "Block", StateRequest.Parser, async (r, cancel) =>
        {
            await release.Task.WaitAsync(cancel);
            return new Empty();
        });
        methods.Add(Service, "Fail", StateRequest.Parser, r => throw TtrpcException.NotFound($"container {r.Id}: not found"));
        methods.Add(Service, "Crash", StateRequest.Parser, r => throw new InvalidOperationException("boom"));
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        listener.Listen(8);
        server = new TtrpcServer(listener, methods, _ => { });
        new Thread(server.Serve) { IsBackground = true }.Start();
    }

    [TearDown]
    public void StopServer()
    {
        release.TrySetResult();
        server?.Stop();
        Directory.Delete(dir, true);
    }

    private string SocketPath => Path.Combine(dir, "s");

    private TtrpcClient Connect() => TtrpcClient.Connect(SocketPath, TimeSpan.FromSeconds(10));

    [Test]
    public void A_call_returns_the_methods_answer()
    {
        using var client = Connect();
        var reply = client.Call(Service, "Echo", new StateRequest { Id = "c1", ExecId = "e1" }, StateResponse.Parser);
        reply.Id.Should().Be("c1");
        reply.ExecId.Should().Be("e1");
    }

    [Test]
    public void A_failing_method_answers_with_its_status_code_and_message()
    {
        using var client = Connect();
        var call = () => client.Call(Service, "Fail", new StateRequest { Id = "nope" });
        call.Should().Throw<TtrpcException>().Where(e => e.Code == StatusCode.NotFound && e.Message == "container nope: not found");
        var crash = () => client.Call(Service, "Crash", new StateRequest());
        crash.Should().Throw<TtrpcException>().Where(e => e.Code == StatusCode.Unknown && e.Message == "boom");
    }

    [Test]
    public void An_unknown_method_or_service_is_unimplemented_and_the_connection_goes_on()
    {
        using var client = Connect();
        var method = () => client.Call(Service, "NoSuchMethod", new StateRequest());
        method.Should().Throw<TtrpcException>().Where(e => e.Code == StatusCode.Unimplemented);
        var service = () => client.Call("no.such.Service", "Echo", new StateRequest());
        service.Should().Throw<TtrpcException>().Where(e => e.Code == StatusCode.Unimplemented);
        client.Call(Service, "Echo", new StateRequest { Id = "after" }, StateResponse.Parser).Id.Should().Be("after");
    }

    [Test]
    public void A_request_that_is_not_protobuf_gets_invalid_argument_on_its_stream()
    {
        using var client = Connect();
        var response = client.SendRaw(7, MessageType.Request, [0xff, 0xff, 0xff, 0xff, 0x0f]);
        response.Status.Code.Should().Be((int)StatusCode.InvalidArgument);
        client.Call(Service, "Echo", new StateRequest { Id = "after" }, StateResponse.Parser).Id.Should().Be("after");
    }

    [Test]
    public void A_payload_that_is_not_the_methods_message_gets_invalid_argument()
    {
        using var client = Connect();
        var request = new Request { Service = Service, Method = "Echo", Payload = ByteString.CopyFrom(0x0a, 0x05, 0x01) }; // field 1 says 5 bytes, has 1
        var response = client.SendRaw(9, MessageType.Request, request.ToByteArray());
        response.Status.Code.Should().Be((int)StatusCode.InvalidArgument);
    }

    [Test]
    public void A_frame_longer_than_the_limit_is_refused_without_losing_the_next_frame()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(SocketPath));
        var oversized = new byte[FrameHeader.MaxDataLength + 1];
        var header = new byte[FrameHeader.Size];
        new FrameHeader((uint)oversized.Length, 1, MessageType.Request, 0).WriteTo(header);
        socket.Send(header);
        socket.Send(oversized);
        var echo = new Request { Service = Service, Method = "Echo", Payload = new StateRequest { Id = "next" }.ToByteString() }.ToByteArray();
        new FrameHeader((uint)echo.Length, 3, MessageType.Request, 0).WriteTo(header);
        socket.Send(header);
        socket.Send(echo);

        using var channel = new FrameChannel(socket);
        var first = ReadResponse(channel, out var firstStream);
        firstStream.Should().Be(1u);
        first.Status.Code.Should().Be((int)StatusCode.ResourceExhausted);
        var second = ReadResponse(channel, out var secondStream);
        secondStream.Should().Be(3u);
        StateResponse.Parser.ParseFrom(second.Payload).Id.Should().Be("next");
    }

    [Test]
    public void A_blocked_call_does_not_hold_up_the_calls_behind_it_on_the_same_connection()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(SocketPath));
        using var channel = new FrameChannel(socket);
        channel.Write(1, MessageType.Request, 0, new Request { Service = Service, Method = "Block", Payload = new StateRequest().ToByteString() }.ToByteArray());
        channel.Write(3, MessageType.Request, 0, new Request { Service = Service, Method = "Echo", Payload = new StateRequest { Id = "quick" }.ToByteString() }.ToByteArray());

        var quick = ReadResponse(channel, out var stream);
        stream.Should().Be(3u, "the echo answers while the first call still blocks");
        StateResponse.Parser.ParseFrom(quick.Payload).Id.Should().Be("quick");
        release.SetResult();
        ReadResponse(channel, out stream).Status.Should().BeNull();
        stream.Should().Be(1u);
    }

    [Test]
    public void Frame_headers_are_big_endian_length_stream_type_flags()
    {
        var bytes = new byte[FrameHeader.Size];
        new FrameHeader(0x01020304, 0x0a0b0c0d, MessageType.Response, 0x01).WriteTo(bytes);
        bytes.Should().Equal(0x01, 0x02, 0x03, 0x04, 0x0a, 0x0b, 0x0c, 0x0d, 0x02, 0x01);
        FrameHeader.Parse(bytes).Should().Be(new FrameHeader(0x01020304, 0x0a0b0c0d, MessageType.Response, 0x01));
        BinaryPrimitives.ReadUInt32BigEndian(bytes).Should().Be(0x01020304u);
    }

    private static Response ReadResponse(FrameChannel channel, out uint stream)
    {
        var header = channel.ReadHeader() ?? throw new EndOfStreamException();
        header.Type.Should().Be(MessageType.Response);
        stream = header.StreamId;
        return Response.Parser.ParseFrom(channel.ReadData(header.Length));
    }
}
