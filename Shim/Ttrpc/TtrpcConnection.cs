using Google.Protobuf;
using Runcs.Shim.Ttrpc.Wire;

namespace Runcs.Shim.Ttrpc;

/// <summary>
/// The server's side of one connection. A reader thread takes frames in
/// order; each request runs as its own task, so a call that blocks (Wait)
/// does not hold up the calls behind it, and answers go out as each call
/// finishes. Bad input on a stream (an oversized or unparsable request, an
/// unknown method) is answered with an error on that stream and the
/// connection goes on; only a broken frame (the socket closes mid-frame)
/// ends it.
/// </summary>
public sealed class TtrpcConnection(FrameChannel channel, MethodTable methods, Action<string> log, Action? callFinished = null)
{
    private readonly CancellationTokenSource closed = new();
    private int pending;

    /// <summary>Calls that have started and not answered yet.</summary>
    public int Pending => Volatile.Read(ref pending);

    /// <summary>Serves until the peer closes the connection; then cancels what still runs.</summary>
    public void Serve()
    {
        try
        {
            while (channel.ReadHeader() is { } header)
                Dispatch(header);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            log($"ttrpc connection: {e.Message}");
        }
        finally
        {
            closed.Cancel();
            channel.Dispose();
        }
    }

    private void Dispatch(FrameHeader header)
    {
        if (header.Length > FrameHeader.MaxDataLength)
        {
            channel.Discard(header.Length);
            Answer(header.StreamId, StatusCode.ResourceExhausted, $"message length {header.Length} exceeds maximum message size of {FrameHeader.MaxDataLength}");
            return;
        }
        var data = channel.ReadData(header.Length);
        if (header.Type != MessageType.Request)
        {
            // Streams (data frames) are not part of the task API; say so on that stream.
            Answer(header.StreamId, StatusCode.Unimplemented, $"message type {(byte)header.Type} is not supported");
            return;
        }
        if (header.StreamId % 2 == 0)
        {
            Answer(header.StreamId, StatusCode.InvalidArgument, $"stream id {header.StreamId} is not a client stream (odd)");
            return;
        }
        Request request;
        try
        {
            request = Request.Parser.ParseFrom(data);
        }
        catch (InvalidProtocolBufferException e)
        {
            Answer(header.StreamId, StatusCode.InvalidArgument, $"malformed ttrpc request: {e.Message}");
            return;
        }
        var handler = methods.Find(request.Service, request.Method);
        if (handler is null)
        {
            Answer(header.StreamId, StatusCode.Unimplemented, $"{request.Service}/{request.Method} is not implemented");
            return;
        }
        Interlocked.Increment(ref pending);
        _ = Task.Run(() => Call(header.StreamId, request, handler));
    }

    private async Task Call(uint streamId, Request request, MethodHandler handler)
    {
        try
        {
            using var timeout = request.TimeoutNano > 0 ? new CancellationTokenSource(TimeSpan.FromTicks(request.TimeoutNano / 100)) : null;
            using var cancel = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(closed.Token, timeout.Token);
            var reply = await handler(request.Payload, cancel?.Token ?? closed.Token);
            Send(streamId, new Response { Payload = reply.ToByteString() });
        }
        catch (TtrpcException e)
        {
            Answer(streamId, e.Code, e.Message);
        }
        catch (OperationCanceledException)
        {
            Answer(streamId, closed.IsCancellationRequested ? StatusCode.Canceled : StatusCode.DeadlineExceeded, $"{request.Method}: canceled");
        }
        catch (Exception e)
        {
            log($"{request.Service}/{request.Method}: {e}");
            Answer(streamId, StatusCode.Unknown, e.Message);
        }
        finally
        {
            Interlocked.Decrement(ref pending);
            callFinished?.Invoke();
        }
    }

    private void Answer(uint streamId, StatusCode code, string message) =>
        Send(streamId, new Response { Status = new Wire.Status { Code = (int)code, Message = message } });

    private void Send(uint streamId, Response response)
    {
        try
        {
            channel.Write(streamId, MessageType.Response, 0, response.ToByteArray());
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // The client went away; it will not read the answer.
        }
    }
}
