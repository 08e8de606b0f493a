using System.Buffers.Binary;
using System.Text;

namespace Runcs.Runtime.Native;

/// <summary>
/// One operation of a plan, kept readable for errors, debugging and tests.
/// Its string arguments are bytes: most are UTF-8 paths, one is a seccomp filter.
/// </summary>
public sealed record PlanStep(PlanOp Op, string Description, IReadOnlyList<long> Ints, IReadOnlyList<byte[]> Data)
{
    /// <summary>String argument i as text.</summary>
    public string Text(int i) => Encoding.UTF8.GetString(Data[i]);

    public override string ToString()
    {
        var args = Ints.Select(i => i.ToString())
            .Concat(Data.Select(d => d.Contains((byte)0) ? $"<{d.Length} bytes>" : $"\"{Encoding.UTF8.GetString(d)}\""));
        return $"{Op}({string.Join(", ", args)}) # {Description}";
    }
}

/// <summary>
/// A compiled plan: the bytes the C executor runs, and the steps they came
/// from. When the executor reports that operation N failed, Steps[N] says
/// what it was in the user's words.
/// </summary>
public sealed class Plan
{
    private const ulong Magic = 0x4e414c5053434e52UL; // "RNCSPLAN"
    private const uint Version = 1;

    public Plan(IReadOnlyList<PlanStep> steps)
    {
        Steps = steps;
        Bytes = Encode(steps);
    }

    public IReadOnlyList<PlanStep> Steps { get; }

    public byte[] Bytes { get; }

    public override string ToString() => string.Join('\n', Steps.Select((s, i) => $"{i,3} {s}"));

    /// <summary>
    /// header: u64 magic, u32 version, u32 count; then per step: u16 op, u16 ints,
    /// u16 strings, u16 reserved, the description and the strings as u32 length +
    /// bytes + NUL, the ints as i64. Strings may hold binary data (a seccomp filter).
    /// </summary>
    private static byte[] Encode(IReadOnlyList<PlanStep> steps)
    {
        var buffer = new MemoryStream();
        var scratch = new byte[8];
        void U16(ushort v) { BinaryPrimitives.WriteUInt16LittleEndian(scratch, v); buffer.Write(scratch, 0, 2); }
        void U32(uint v) { BinaryPrimitives.WriteUInt32LittleEndian(scratch, v); buffer.Write(scratch, 0, 4); }
        void I64(long v) { BinaryPrimitives.WriteInt64LittleEndian(scratch, v); buffer.Write(scratch, 0, 8); }
        void Str(byte[] bytes) { U32((uint)bytes.Length); buffer.Write(bytes); buffer.WriteByte(0); }

        BinaryPrimitives.WriteUInt64LittleEndian(scratch, Magic);
        buffer.Write(scratch);
        U32(Version);
        U32((uint)steps.Count);
        foreach (var step in steps)
        {
            U16((ushort)step.Op);
            U16((ushort)step.Ints.Count);
            U16((ushort)step.Data.Count);
            U16(0);
            Str(Encoding.UTF8.GetBytes(step.Description));
            foreach (var i in step.Ints)
                I64(i);
            foreach (var data in step.Data)
                Str(data);
        }
        return buffer.ToArray();
    }
}
