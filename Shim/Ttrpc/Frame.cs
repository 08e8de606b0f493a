using System.Buffers.Binary;

namespace Runcs.Shim.Ttrpc;

/// <summary>ttrpc's message types (PROTOCOL.md): the byte after the stream id.</summary>
public enum MessageType : byte
{
    Request = 1,
    Response = 2,
    Data = 3,
}

/// <summary>
/// The 10-byte header in front of every ttrpc message: data length and stream
/// id (both big-endian u32), message type, flags. Client streams are odd.
/// </summary>
public readonly record struct FrameHeader(uint Length, uint StreamId, MessageType Type, byte Flags)
{
    public const int Size = 10;

    /// <summary>ttrpc refuses longer messages; a sender must split or fail.</summary>
    public const uint MaxDataLength = 4 << 20;

    public static FrameHeader Parse(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt32BigEndian(bytes),
        BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]),
        (MessageType)bytes[8],
        bytes[9]);

    public void WriteTo(Span<byte> bytes)
    {
        BinaryPrimitives.WriteUInt32BigEndian(bytes, Length);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[4..], StreamId);
        bytes[8] = (byte)Type;
        bytes[9] = Flags;
    }
}
