using System.Buffers.Binary;
using System.Text;
using Runcs.Runtime.Native;

namespace Runcs.Runtime.Tests;

/// <summary>The byte layout the C executor decodes (see decode_op in executor.c).</summary>
public class PlanEncodingTests
{
    [Test]
    public void Each_step_is_op_counts_description_ints_then_strings()
    {
        var builder = new PlanBuilder();
        builder.Mount("proc", "/proc", "proc", 14, "", MountTarget.Directory, "mount proc");
        var plan = builder.Build();
        var bytes = plan.Bytes;

        BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)).Should().Be(2, "the step that closes the runtime's descriptors comes first");
        var offset = 16;
        offset = SkipStep(bytes, offset, out _);
        SkipStep(bytes, offset, out var mount);
        mount.Op.Should().Be(PlanOp.Mount);
        mount.Description.Should().Be("mount proc");
        mount.Ints.Should().Equal(14L, (long)MountTarget.Directory);
        mount.Strings.Should().Equal("proc", "/proc", "proc", "");
    }

    [Test]
    public void Build_keeps_the_descriptors_the_plan_uses_and_the_preserved_range()
    {
        var builder = new PlanBuilder();
        builder.SetNs(17, 0x40000000, "enter net");
        builder.Dup2(23, 0);
        builder.PreserveFds(2);
        var close = builder.Build().Steps[0];
        close.Op.Should().Be(PlanOp.CloseExcept);
        close.Ints.Should().Equal(0L, 4L, 17L, 23L);
    }

    private static int SkipStep(byte[] bytes, int offset, out (PlanOp Op, string Description, List<long> Ints, List<string> Strings) step)
    {
        var op = (PlanOp)BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset));
        int nints = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 2));
        int nstrs = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 4));
        offset += 8;
        string ReadString()
        {
            int len = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset));
            var s = Encoding.UTF8.GetString(bytes, offset + 4, len);
            bytes[offset + 4 + len].Should().Be(0, "strings are NUL-terminated for C");
            offset += 4 + len + 1;
            return s;
        }
        var description = ReadString();
        var ints = new List<long>();
        for (int i = 0; i < nints; i++, offset += 8)
            ints.Add(BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset)));
        var strings = new List<string>();
        for (int i = 0; i < nstrs; i++)
            strings.Add(ReadString());
        step = (op, description, ints, strings);
        return offset;
    }
}
