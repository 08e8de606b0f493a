using System.Buffers.Binary;

namespace Runcs.Runtime.Cgroups.Bpf;

/// <summary>
/// One eBPF instruction (struct bpf_insn: an opcode, destination and source
/// registers, a 16-bit offset and a 32-bit immediate), and the few opcodes a
/// device filter needs, named as in the kernel's include/uapi/linux/bpf.h.
/// </summary>
public readonly record struct BpfInstruction(byte Opcode, byte Dst, byte Src, short Offset, int Imm)
{
    public const int Size = 8;

    // Instruction classes.
    public const byte BPF_LDX = 0x01;
    public const byte BPF_ALU = 0x04; // 32-bit arithmetic: the upper half of the register is cleared
    public const byte BPF_JMP = 0x05;

    // Load size and mode.
    public const byte BPF_W = 0x00;
    public const byte BPF_MEM = 0x60;

    // Source: the immediate or a register.
    public const byte BPF_K = 0x00;
    public const byte BPF_X = 0x08;

    // Arithmetic operations.
    public const byte BPF_AND = 0x50;
    public const byte BPF_RSH = 0x70;
    public const byte BPF_MOV = 0xb0;

    // Jump operations.
    public const byte BPF_JEQ = 0x10;
    public const byte BPF_JNE = 0x50;
    public const byte BPF_EXIT = 0x90;

    /// <summary>dst = *(u32 *)(src + offset)</summary>
    public static BpfInstruction LoadWord(byte dst, byte src, short offset) => new(BPF_LDX | BPF_MEM | BPF_W, dst, src, offset, 0);

    /// <summary>(u32) dst &amp;= imm</summary>
    public static BpfInstruction And32(byte dst, int imm) => new(BPF_ALU | BPF_AND | BPF_K, dst, 0, 0, imm);

    /// <summary>(u32) dst &gt;&gt;= imm</summary>
    public static BpfInstruction RightShift32(byte dst, int imm) => new(BPF_ALU | BPF_RSH | BPF_K, dst, 0, 0, imm);

    /// <summary>(u32) dst = imm</summary>
    public static BpfInstruction Move32(byte dst, int imm) => new(BPF_ALU | BPF_MOV | BPF_K, dst, 0, 0, imm);

    /// <summary>(u32) dst = src</summary>
    public static BpfInstruction Move32Register(byte dst, byte src) => new(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0);

    /// <summary>if dst != imm, skip offset instructions</summary>
    public static BpfInstruction JumpIfNotEqual(byte dst, int imm, short offset) => new(BPF_JMP | BPF_JNE | BPF_K, dst, 0, offset, imm);

    /// <summary>if dst != src, skip offset instructions</summary>
    public static BpfInstruction JumpIfNotEqualRegister(byte dst, byte src, short offset) => new(BPF_JMP | BPF_JNE | BPF_X, dst, src, offset, 0);

    /// <summary>if dst == imm, skip offset instructions</summary>
    public static BpfInstruction JumpIfEqual(byte dst, int imm, short offset) => new(BPF_JMP | BPF_JEQ | BPF_K, dst, 0, offset, imm);

    /// <summary>return r0</summary>
    public static BpfInstruction Exit() => new(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);

    public bool IsJump => (Opcode & 0x07) == BPF_JMP && (Opcode & 0xf0) != BPF_EXIT;

    public BpfInstruction WithOffset(short offset) => this with { Offset = offset };

    /// <summary>The program as the kernel reads it: eight little-endian bytes per instruction.</summary>
    public static byte[] Encode(IReadOnlyList<BpfInstruction> program)
    {
        var bytes = new byte[program.Count * Size];
        for (int i = 0; i < program.Count; i++)
        {
            var insn = program[i];
            var at = bytes.AsSpan(i * Size, Size);
            at[0] = insn.Opcode;
            at[1] = (byte)((insn.Src << 4) | (insn.Dst & 0x0f));
            BinaryPrimitives.WriteInt16LittleEndian(at[2..], insn.Offset);
            BinaryPrimitives.WriteInt32LittleEndian(at[4..], insn.Imm);
        }
        return bytes;
    }
}
