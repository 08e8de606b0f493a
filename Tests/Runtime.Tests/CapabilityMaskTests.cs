using Runcs.Runtime.Capabilities;

namespace Runcs.Runtime.Tests;

/// <summary>Capability names to masks, on this kernel and on an older one.</summary>
public class CapabilityMaskTests
{
    [Test]
    public void A_capability_the_kernel_does_not_know_is_dropped_with_a_warning_naming_it_and_its_set()
    {
        // A 5.8 kernel knows up to CAP_AUDIT_READ (37): CAP_PERFMON (38) and CAP_BPF (39) came in 5.8/5.9.
        List<string> warnings = [];
        var mask = CapabilitySets.Mask(["CAP_KILL", "CAP_BPF"], "effective", warnings.Add, lastCap: 37);
        mask.Should().Be(1UL << 5, "CAP_KILL stays");
        warnings.Should().Equal("capability CAP_BPF is not supported by this kernel, ignoring it in the effective set");
    }

    [Test]
    public void An_unknown_capability_name_is_an_error_naming_the_set()
    {
        var mask = () => CapabilitySets.Mask(["CAP_FOO"], "bounding", _ => { }, lastCap: 40);
        mask.Should().Throw<RuntimeException>().WithMessage("process.capabilities.bounding: unknown capability \"CAP_FOO\"");
    }
}
