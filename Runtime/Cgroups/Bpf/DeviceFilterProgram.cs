using Runcs.Runtime.Cgroups.Devices;

namespace Runcs.Runtime.Cgroups.Bpf;

/// <summary>
/// Compiles a device cgroup model into a BPF_PROG_TYPE_CGROUP_DEVICE program:
/// cgroup v2 has no devices.allow, it asks an attached program instead. The
/// program gets a struct bpf_cgroup_dev_ctx (access_type: the device kind in
/// the low 16 bits and the access in the high 16; major; minor) and returns 1
/// to allow, 0 to refuse. It checks each exception in turn and otherwise
/// returns the default, deciding exactly as <see cref="DeviceCgroupModel.Allows"/>.
/// </summary>
public static class DeviceFilterProgram
{
    // Registers: R1 holds the context; R2..R5 are scratch, R0 the result.
    private const byte R0 = 0, R1 = 1, Kind = 2, Access = 3, Major = 4, Minor = 5;

    /// <summary>BPF_DEVCG_DEV_* values of the context's kind.</summary>
    public const int DevBlock = 1;
    public const int DevChar = 2;

    public static IReadOnlyList<BpfInstruction> Build(DeviceCgroupModel model)
    {
        var code = new List<BpfInstruction>
        {
            BpfInstruction.LoadWord(Kind, R1, 0),
            BpfInstruction.And32(Kind, 0xffff),
            BpfInstruction.LoadWord(Access, R1, 0),
            BpfInstruction.RightShift32(Access, 16),
            BpfInstruction.LoadWord(Major, R1, 4),
            BpfInstruction.LoadWord(Minor, R1, 8),
        };
        foreach (var exception in model.Exceptions)
            AppendException(code, exception);
        code.Add(BpfInstruction.Move32(R0, model.DefaultAllow ? 1 : 0));
        code.Add(BpfInstruction.Exit());
        return code;
    }

    /// <summary>
    /// One block: every test that fails jumps past the block (to the next
    /// exception or the default); a request that passes them all gets the
    /// exception's verdict. Jumps are written with the block's end and fixed
    /// once its length is known.
    /// </summary>
    private static void AppendException(List<BpfInstruction> code, DeviceRule rule)
    {
        int start = code.Count;
        code.Add(BpfInstruction.JumpIfNotEqual(Kind, rule.Kind == DeviceKind.Block ? DevBlock : DevChar, 0));
        if (rule.Access != DeviceAccess.All)
        {
            // R1 is free once the context is read: R1 = asked & rule's access.
            code.Add(BpfInstruction.Move32Register(R1, Access));
            code.Add(BpfInstruction.And32(R1, (int)rule.Access));
            // An allow exception must cover everything asked for; a deny exception refuses any overlap (the kernel's partial match).
            code.Add(rule.Allow ? BpfInstruction.JumpIfNotEqualRegister(R1, Access, 0) : BpfInstruction.JumpIfEqual(R1, 0, 0));
        }
        if (rule.Major != DeviceRule.Any)
            code.Add(BpfInstruction.JumpIfNotEqual(Major, checked((int)rule.Major), 0));
        if (rule.Minor != DeviceRule.Any)
            code.Add(BpfInstruction.JumpIfNotEqual(Minor, checked((int)rule.Minor), 0));
        code.Add(BpfInstruction.Move32(R0, rule.Allow ? 1 : 0));
        code.Add(BpfInstruction.Exit());

        int next = code.Count;
        for (int i = start; i < next; i++)
            if (code[i].IsJump)
                code[i] = code[i].WithOffset((short)(next - i - 1));
    }
}
