using System.Buffers.Binary;
using Runcs.Runtime.Cgroups.Bpf;
using Runcs.Runtime.Cgroups.Devices;

namespace Runcs.Runtime.Tests.Cgroups;

/// <summary>
/// Runs a cgroup device program the way the kernel would, from its encoded
/// bytes: enough of eBPF for what a device filter uses (32-bit loads from the
/// context, 32-bit AND/RSH/MOV, JNE/JEQ against an immediate or a register,
/// EXIT). Anything else, a jump out of the program, a backward jump (the
/// verifier refuses loops) or a read outside the context fails the test.
/// </summary>
public static class BpfInterpreter
{
    /// <summary>The program's verdict for one access: true when it returns 1.</summary>
    public static bool Allows(byte[] program, DeviceKind kind, long major, long minor, DeviceAccess access)
    {
        var context = new byte[12];
        uint type = kind == DeviceKind.Block ? (uint)DeviceFilterProgram.DevBlock : (uint)DeviceFilterProgram.DevChar;
        BinaryPrimitives.WriteUInt32LittleEndian(context, type | ((uint)access << 16));
        BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(4), (uint)major);
        BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(8), (uint)minor);
        return Run(program, context) switch
        {
            1 => true,
            0 => false,
            var other => throw new AssertionException($"device program returned {other}"),
        };
    }

    private static ulong Run(byte[] program, byte[] context)
    {
        var r = new ulong[11];
        const ulong ContextPointer = 0x1000_0000;
        r[1] = ContextPointer;
        int count = program.Length / BpfInstruction.Size;
        for (int pc = 0; pc < count; pc++)
        {
            var at = program.AsSpan(pc * BpfInstruction.Size);
            byte op = at[0];
            int dst = at[1] & 0x0f, src = at[1] >> 4;
            short off = BinaryPrimitives.ReadInt16LittleEndian(at[2..]);
            int imm = BinaryPrimitives.ReadInt32LittleEndian(at[4..]);
            switch (op)
            {
                case BpfInstruction.BPF_LDX | BpfInstruction.BPF_MEM | BpfInstruction.BPF_W:
                    long address = (long)(r[src] - ContextPointer) + off;
                    if (r[src] != ContextPointer || address < 0 || address + 4 > context.Length)
                        throw new AssertionException($"instruction {pc} reads outside the context");
                    r[dst] = BinaryPrimitives.ReadUInt32LittleEndian(context.AsSpan((int)address));
                    break;
                case BpfInstruction.BPF_ALU | BpfInstruction.BPF_AND | BpfInstruction.BPF_K:
                    r[dst] = (uint)r[dst] & (uint)imm;
                    break;
                case BpfInstruction.BPF_ALU | BpfInstruction.BPF_RSH | BpfInstruction.BPF_K:
                    r[dst] = (uint)r[dst] >> imm;
                    break;
                case BpfInstruction.BPF_ALU | BpfInstruction.BPF_MOV | BpfInstruction.BPF_K:
                    r[dst] = (uint)imm;
                    break;
                case BpfInstruction.BPF_ALU | BpfInstruction.BPF_MOV | BpfInstruction.BPF_X:
                    r[dst] = (uint)r[src];
                    break;
                case BpfInstruction.BPF_JMP | BpfInstruction.BPF_JNE | BpfInstruction.BPF_K:
                    pc = Jump(pc, off, count, r[dst] != (ulong)(long)imm);
                    break;
                case BpfInstruction.BPF_JMP | BpfInstruction.BPF_JNE | BpfInstruction.BPF_X:
                    pc = Jump(pc, off, count, r[dst] != r[src]);
                    break;
                case BpfInstruction.BPF_JMP | BpfInstruction.BPF_JEQ | BpfInstruction.BPF_K:
                    pc = Jump(pc, off, count, r[dst] == (ulong)(long)imm);
                    break;
                case BpfInstruction.BPF_JMP | BpfInstruction.BPF_EXIT:
                    return r[0];
                default:
                    throw new AssertionException($"instruction {pc}: opcode 0x{op:x2} is not one a device filter should use");
            }
        }
        throw new AssertionException("the program ran off its end without EXIT");
    }

    private static int Jump(int pc, short offset, int count, bool taken)
    {
        if (offset < 0)
            throw new AssertionException($"instruction {pc} jumps backwards");
        if (pc + 1 + offset >= count)
            throw new AssertionException($"instruction {pc} jumps out of the program");
        return taken ? pc + offset : pc;
    }
}
