using Runcs.Spec;

namespace Runcs.Runtime.Seccomp;

/// <summary>The comparison operators of linux.seccomp.syscalls[].args[].op.</summary>
public enum ArgOperator
{
    NotEqual,
    LessThan,
    LessOrEqual,
    Equal,
    GreaterOrEqual,
    GreaterThan,
    MaskedEqual,
}

/// <summary>
/// One condition on a system call argument: arg[Index] OP Value, or for
/// MASKED_EQ (arg[Index] &amp; Value) == ValueTwo, on unsigned 64-bit values.
/// </summary>
public sealed record ArgCondition(int Index, ArgOperator Op, ulong Value, ulong ValueTwo)
{
    /// <summary>struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6].</summary>
    public const uint NrOffset = 0, ArchOffset = 4, ArgsOffset = 16;

    public static ArgOperator? ParseOperator(string op) => op switch
    {
        "SCMP_CMP_NE" => ArgOperator.NotEqual,
        "SCMP_CMP_LT" => ArgOperator.LessThan,
        "SCMP_CMP_LE" => ArgOperator.LessOrEqual,
        "SCMP_CMP_EQ" => ArgOperator.Equal,
        "SCMP_CMP_GE" => ArgOperator.GreaterOrEqual,
        "SCMP_CMP_GT" => ArgOperator.GreaterThan,
        "SCMP_CMP_MASKED_EQ" => ArgOperator.MaskedEqual,
        _ => null,
    };

    public static ArgCondition FromConfig(LinuxSeccompArg arg, string path) => new(
        (int)arg.Index,
        ParseOperator(arg.Op) ?? throw new RuntimeException($"{path}.op: unknown operator \"{arg.Op}\""),
        arg.Value,
        arg.ValueTwo);

    /// <summary>
    /// Emits the test: falls through when the condition holds, jumps to
    /// <paramref name="fail"/> when it does not. The kernel's BPF compares
    /// 32-bit words, so a 64-bit comparison decides on the high halves and
    /// looks at the low halves only when those are equal. 32-bit ABIs pass
    /// 32-bit arguments: only the low half is compared there (as libseccomp does).
    /// </summary>
    public void Emit(BpfAssembler asm, BpfAssembler.Label fail, bool is32Bit)
    {
        var pass = asm.NewLabel();
        uint low = ArgsOffset + 8 * (uint)Index, high = low + 4; // little-endian: the low word comes first
        ulong value = Op == ArgOperator.MaskedEqual ? ValueTwo : Value;
        uint valueHigh = (uint)(value >> 32), valueLow = (uint)value;
        uint maskHigh = (uint)(Value >> 32), maskLow = (uint)Value;

        if (!is32Bit)
        {
            var lowHalf = asm.NewLabel();
            asm.Load(high);
            switch (Op)
            {
                case ArgOperator.Equal:
                    asm.Jump(BpfOp.JeqK, valueHigh, lowHalf, fail);
                    break;
                case ArgOperator.NotEqual:
                    asm.Jump(BpfOp.JeqK, valueHigh, lowHalf, pass);
                    break;
                case ArgOperator.MaskedEqual:
                    asm.And(maskHigh);
                    asm.Jump(BpfOp.JeqK, valueHigh, lowHalf, fail);
                    break;
                case ArgOperator.GreaterThan or ArgOperator.GreaterOrEqual:
                    // high > v.high: holds; high < v.high: fails; equal: the low halves decide.
                    var highEqual = asm.NewLabel();
                    asm.Jump(BpfOp.JgtK, valueHigh, pass, highEqual);
                    asm.Mark(highEqual);
                    asm.Jump(BpfOp.JeqK, valueHigh, lowHalf, fail);
                    break;
                case ArgOperator.LessThan or ArgOperator.LessOrEqual:
                    var highEqualOrLess = asm.NewLabel();
                    asm.Jump(BpfOp.JgtK, valueHigh, fail, highEqualOrLess);
                    asm.Mark(highEqualOrLess);
                    asm.Jump(BpfOp.JeqK, valueHigh, lowHalf, pass);
                    break;
            }
            asm.Mark(lowHalf);
        }

        asm.Load(low);
        switch (Op)
        {
            case ArgOperator.Equal:
                asm.Jump(BpfOp.JeqK, valueLow, pass, fail);
                break;
            case ArgOperator.NotEqual:
                asm.Jump(BpfOp.JeqK, valueLow, fail, pass);
                break;
            case ArgOperator.MaskedEqual:
                asm.And(maskLow);
                asm.Jump(BpfOp.JeqK, valueLow, pass, fail);
                break;
            case ArgOperator.GreaterThan:
                asm.Jump(BpfOp.JgtK, valueLow, pass, fail);
                break;
            case ArgOperator.GreaterOrEqual:
                asm.Jump(BpfOp.JgeK, valueLow, pass, fail);
                break;
            case ArgOperator.LessThan:
                asm.Jump(BpfOp.JgeK, valueLow, fail, pass);
                break;
            case ArgOperator.LessOrEqual:
                asm.Jump(BpfOp.JgtK, valueLow, fail, pass);
                break;
        }
        asm.Mark(pass);
    }

    public override string ToString() => Op == ArgOperator.MaskedEqual
        ? $"(arg{Index} & 0x{Value:x}) == 0x{ValueTwo:x}"
        : $"arg{Index} {Op} 0x{Value:x}";
}
