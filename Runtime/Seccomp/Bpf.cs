using System.Buffers.Binary;

namespace Runcs.Runtime.Seccomp;

/// <summary>One classic BPF instruction (struct sock_filter).</summary>
public readonly record struct BpfInstruction(ushort Code, byte Jt, byte Jf, uint K)
{
    public const int Size = 8;
}

/// <summary>The classic BPF opcodes a seccomp filter is made of (linux/bpf_common.h).</summary>
public static class BpfOp
{
    /// <summary>A = the 32-bit word at offset K of struct seccomp_data.</summary>
    public const ushort LoadWord = 0x20; // BPF_LD | BPF_W | BPF_ABS
    public const ushort AndK = 0x54;     // BPF_ALU | BPF_AND | BPF_K
    public const ushort Ja = 0x05;       // BPF_JMP | BPF_JA: jump K forward
    public const ushort JeqK = 0x15;     // BPF_JMP | BPF_JEQ | BPF_K
    public const ushort JgtK = 0x25;     // BPF_JMP | BPF_JGT | BPF_K (unsigned)
    public const ushort JgeK = 0x35;     // BPF_JMP | BPF_JGE | BPF_K (unsigned)
    public const ushort JsetK = 0x45;    // BPF_JMP | BPF_JSET | BPF_K
    public const ushort RetK = 0x06;     // BPF_RET | BPF_K

    /// <summary>The kernel's limit on a program's length (BPF_MAXINSNS).</summary>
    public const int MaxInstructions = 4096;
}

/// <summary>
/// Writes a BPF program with symbolic jump targets and lays it out. A
/// conditional jump reaches at most 255 instructions ahead; when a target is
/// further, the jump becomes a short one onto two unconditional jumps (which
/// reach anywhere), and layout repeats until every jump fits. BPF jumps only
/// go forward, so a target must be placed after its jump.
/// </summary>
public sealed class BpfAssembler
{
    public sealed class Label
    {
        internal int Position = -1;
    }

    private abstract record Item;
    private sealed record Statement(ushort Code, uint K) : Item;
    private sealed record Conditional(ushort Code, uint K, Label True, Label False) : Item
    {
        public bool Long { get; set; }
    }
    private sealed record Goto(Label Target) : Item;
    private sealed record Place(Label Label) : Item;

    private readonly List<Item> items = [];

    public Label NewLabel() => new();

    public void Mark(Label label) => items.Add(new Place(label));

    public void Load(uint offset) => items.Add(new Statement(BpfOp.LoadWord, offset));

    public void And(uint mask) => items.Add(new Statement(BpfOp.AndK, mask));

    public void Return(uint value) => items.Add(new Statement(BpfOp.RetK, value));

    public void Jump(ushort code, uint k, Label whenTrue, Label whenFalse) => items.Add(new Conditional(code, k, whenTrue, whenFalse));

    public void JumpTo(Label target) => items.Add(new Goto(target));

    public BpfInstruction[] Assemble()
    {
        while (Layout())
        {
        }
        var program = new List<BpfInstruction>();
        foreach (var item in items)
        {
            switch (item)
            {
                case Statement s:
                    program.Add(new BpfInstruction(s.Code, 0, 0, s.K));
                    break;
                case Goto g:
                    program.Add(new BpfInstruction(BpfOp.Ja, 0, 0, (uint)Distance(program.Count, g.Target)));
                    break;
                case Conditional { Long: false } c:
                    program.Add(new BpfInstruction(c.Code, (byte)Distance(program.Count, c.True), (byte)Distance(program.Count, c.False), c.K));
                    break;
                case Conditional c:
                    // True falls onto the first jump, false skips it onto the second.
                    program.Add(new BpfInstruction(c.Code, 0, 1, c.K));
                    program.Add(new BpfInstruction(BpfOp.Ja, 0, 0, (uint)Distance(program.Count, c.True)));
                    program.Add(new BpfInstruction(BpfOp.Ja, 0, 0, (uint)Distance(program.Count, c.False)));
                    break;
            }
        }
        return [.. program];
    }

    /// <summary>Places every label; returns true when a jump had to be made long (so positions moved).</summary>
    private bool Layout()
    {
        int position = 0;
        foreach (var item in items)
        {
            switch (item)
            {
                case Place p:
                    p.Label.Position = position;
                    break;
                case Conditional { Long: true }:
                    position += 3;
                    break;
                default:
                    position++;
                    break;
            }
        }
        position = 0;
        bool changed = false;
        foreach (var item in items)
        {
            // Sizes as placed above: a jump made long now moves the labels only in the next round.
            int size = item switch { Place => 0, Conditional { Long: true } => 3, _ => 1 };
            if (item is Conditional { Long: false } c
                && (Distance(position, c.True) > byte.MaxValue || Distance(position, c.False) > byte.MaxValue))
            {
                c.Long = true;
                changed = true;
            }
            position += size;
        }
        return changed;
    }

    private static int Distance(int from, Label to)
    {
        if (to.Position < 0)
            throw new InvalidOperationException("BPF label was never placed");
        int distance = to.Position - from - 1;
        if (distance < 0)
            throw new InvalidOperationException("BPF jumps can only go forward");
        return distance;
    }

    /// <summary>The program as struct sock_filter[] in the host's byte order (little-endian targets).</summary>
    public static byte[] Encode(IReadOnlyList<BpfInstruction> program)
    {
        var bytes = new byte[program.Count * BpfInstruction.Size];
        for (int i = 0; i < program.Count; i++)
        {
            var span = bytes.AsSpan(i * BpfInstruction.Size);
            BinaryPrimitives.WriteUInt16LittleEndian(span, program[i].Code);
            span[2] = program[i].Jt;
            span[3] = program[i].Jf;
            BinaryPrimitives.WriteUInt32LittleEndian(span[4..], program[i].K);
        }
        return bytes;
    }
}
