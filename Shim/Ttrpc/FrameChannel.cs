using System.Buffers;
using System.Net.Sockets;

namespace Runcs.Shim.Ttrpc;

/// <summary>
/// Frames over one connected stream socket, both ways. Reads happen on one
/// thread at a time (the connection's reader); writes may come from any
/// handler, so each frame goes out whole under a lock and frames of
/// concurrent calls never interleave.
/// </summary>
public sealed class FrameChannel(Socket socket) : IDisposable
{
    private readonly Lock writeLock = new();
    private readonly byte[] header = new byte[FrameHeader.Size];

    public Socket Socket { get; } = socket;

    /// <summary>The next frame's header, or null at a clean end of stream (between frames).</summary>
    public FrameHeader? ReadHeader()
    {
        int got = ReadFully(header, allowEof: true);
        return got == 0 ? null : FrameHeader.Parse(header);
    }

    /// <summary>Reads a frame's data; the header said how long it is.</summary>
    public byte[] ReadData(uint length)
    {
        var data = new byte[length];
        ReadFully(data, allowEof: false);
        return data;
    }

    /// <summary>Reads and drops data too long to accept, so the next frame still starts at a header.</summary>
    public void Discard(uint length)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (length > 0)
            {
                int chunk = (int)Math.Min(length, (uint)buffer.Length);
                ReadFully(buffer.AsSpan(0, chunk), allowEof: false);
                length -= (uint)chunk;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Write(uint streamId, MessageType type, byte flags, ReadOnlySpan<byte> data)
    {
        if (data.Length > FrameHeader.MaxDataLength)
            throw new TtrpcException(StatusCode.ResourceExhausted, $"message length {data.Length} exceeds maximum message size of {FrameHeader.MaxDataLength}");
        var frame = ArrayPool<byte>.Shared.Rent(FrameHeader.Size + data.Length);
        try
        {
            new FrameHeader((uint)data.Length, streamId, type, flags).WriteTo(frame);
            data.CopyTo(frame.AsSpan(FrameHeader.Size));
            lock (writeLock)
            {
                var span = frame.AsSpan(0, FrameHeader.Size + data.Length);
                while (span.Length > 0)
                    span = span[Socket.Send(span)..];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    private int ReadFully(Span<byte> buffer, bool allowEof)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n = Socket.Receive(buffer[done..]);
            if (n == 0)
            {
                if (done == 0 && allowEof)
                    return 0;
                throw new EndOfStreamException("ttrpc connection closed in the middle of a frame");
            }
            done += n;
        }
        return done;
    }

    public void Dispose() => Socket.Dispose();
}
