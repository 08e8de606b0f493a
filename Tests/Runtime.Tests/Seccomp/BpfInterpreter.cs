using System.Buffers.Binary;
using Runcs.Runtime.Seccomp;

namespace Runcs.Runtime.Tests.Seccomp;

/// <summary>What a filter sees of a system call (struct seccomp_data).</summary>
public sealed record SyscallData(uint Nr, uint Arch, params ulong[] Args);

/// <summary>
/// Runs a classic BPF seccomp program the way the kernel does, for the
/// opcodes a seccomp filter may use, and checks what the kernel's verifier
/// would refuse (a jump out of the program, a load outside seccomp_data).
/// </summary>
public static class BpfInterpreter
{
    public static (uint Result, int Steps) Run(byte[] program, SyscallData call)
    {
        program.Length.Should().Be(program.Length / 8 * 8);
        var data = new byte[64];
        BinaryPrimitives.WriteUInt32LittleEndian(data, call.Nr);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), call.Arch);
        for (int i = 0; i < call.Args.Length; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(16 + 8 * i), call.Args[i]);

        int count = program.Length / 8;
        uint a = 0;
        int pc = 0, steps = 0;
        while (true)
        {
            if (pc >= count)
                throw new InvalidOperationException($"fell off the program at {pc}");
            steps++;
            var insn = program.AsSpan(pc * 8);
            ushort code = BinaryPrimitives.ReadUInt16LittleEndian(insn);
            byte jt = insn[2], jf = insn[3];
            uint k = BinaryPrimitives.ReadUInt32LittleEndian(insn[4..]);
            pc++;
            switch (code)
            {
                case BpfOp.LoadWord:
                    if (k > 60 || k % 4 != 0)
                        throw new InvalidOperationException($"load at offset {k}");
                    a = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)k));
                    break;
                case BpfOp.AndK:
                    a &= k;
                    break;
                case BpfOp.Ja:
                    pc += (int)k;
                    break;
                case BpfOp.JeqK:
                    pc += a == k ? jt : jf;
                    break;
                case BpfOp.JgtK:
                    pc += a > k ? jt : jf;
                    break;
                case BpfOp.JgeK:
                    pc += a >= k ? jt : jf;
                    break;
                case BpfOp.JsetK:
                    pc += (a & k) != 0 ? jt : jf;
                    break;
                case BpfOp.RetK:
                    return (k, steps);
                default:
                    throw new InvalidOperationException($"opcode 0x{code:x} at {pc - 1}");
            }
        }
    }
}
