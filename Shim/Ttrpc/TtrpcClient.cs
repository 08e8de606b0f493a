using System.Net.Sockets;
using Google.Protobuf;
using Runcs.Shim.Ttrpc.Wire;

namespace Runcs.Shim.Ttrpc;

/// <summary>
/// A ttrpc client for one call at a time: the shim's event publisher (calls
/// containerd's Events.Forward) and tests. Each call takes the next odd
/// stream id and reads frames until that stream's response.
/// </summary>
public sealed class TtrpcClient : IDisposable
{
    private readonly FrameChannel channel;
    private readonly Lock callLock = new();
    private uint nextStream = 1;

    private TtrpcClient(Socket socket) => channel = new FrameChannel(socket);

    /// <summary>Connects to "unix:///path", "unix://path" or a plain path.</summary>
    public static TtrpcClient Connect(string address, TimeSpan? timeout = null)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(SocketPath(address)));
            if (timeout is { } t)
                socket.ReceiveTimeout = socket.SendTimeout = (int)t.TotalMilliseconds;
            return new TtrpcClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static string SocketPath(string address) =>
        address.StartsWith("unix://", StringComparison.Ordinal) ? address["unix://".Length..] : address;

    /// <summary>Calls service/method; returns the response payload or throws TtrpcException with the server's status.</summary>
    public ByteString Call(string service, string method, IMessage request)
    {
        lock (callLock)
        {
            uint stream = nextStream;
            nextStream += 2;
            var envelope = new Request { Service = service, Method = method, Payload = request.ToByteString() };
            channel.Write(stream, MessageType.Request, 0, envelope.ToByteArray());
            return ReadResponse(stream);
        }
    }

    /// <summary>Sends raw bytes as a frame: for tests that check how a server meets bad input.</summary>
    public Response SendRaw(uint streamId, MessageType type, byte[] data)
    {
        lock (callLock)
        {
            channel.Write(streamId, type, 0, data);
            return Response.Parser.ParseFrom(ReadFrameOf(streamId));
        }
    }

    public T Call<T>(string service, string method, IMessage request, MessageParser<T> parser)
        where T : IMessage<T> => parser.ParseFrom(Call(service, method, request));

    private ByteString ReadResponse(uint stream)
    {
        var response = Response.Parser.ParseFrom(ReadFrameOf(stream));
        if (response.Status is { Code: not 0 } status)
            throw new TtrpcException((StatusCode)status.Code, status.Message);
        return response.Payload;
    }

    private byte[] ReadFrameOf(uint stream)
    {
        while (true)
        {
            var header = channel.ReadHeader() ?? throw new IOException("ttrpc server closed the connection");
            var data = channel.ReadData(header.Length);
            if (header.StreamId == stream && header.Type == MessageType.Response)
                return data;
        }
    }

    public void Dispose() => channel.Dispose();
}
