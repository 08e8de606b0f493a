using Runcs.Spec;

namespace Runcs.Runtime.Cgroups.V2;

/// <summary>
/// linux.resources.blockIO on the v2 io controller. Weights go to io.bfq.weight
/// as they are when the BFQ scheduler is there (same 1..1000 scale as v1), else
/// to io.weight converted to its 1..10000 scale; limits are io.max lines.
/// </summary>
public static class V2BlockIo
{
    public static void Apply(string dir, LinuxBlockIo io, Action<string> warn)
    {
        bool bfq = CgroupFile.Exists(dir, "io.bfq.weight");
        string weightFile = bfq ? "io.bfq.weight" : "io.weight";
        ulong Weight(ushort w) => bfq ? w : CgroupValues.BlkioWeightToIoWeight(w);

        if (io.Weight is { } weight && weight != 0)
            CgroupFile.Write(dir, weightFile, Weight(weight).ToString(), "blockIO.weight");
        for (int i = 0; i < (io.WeightDevice?.Count ?? 0); i++)
        {
            var device = io.WeightDevice![i];
            if (device.Weight is { } w && w != 0)
                CgroupFile.Write(dir, weightFile, $"{device.Major}:{device.Minor} {Weight(w)}", $"blockIO.weightDevice[{i}]");
        }
        if (io.LeafWeight is not (null or 0) || io.WeightDevice?.Any(d => d.LeafWeight is not (null or 0)) == true)
            warn($"{ResourceField.Path("blockIO.leafWeight")} is ignored: cgroup v2 has no leaf weights");

        Limit(dir, "rbps", io.ThrottleReadBpsDevice, "blockIO.throttleReadBpsDevice");
        Limit(dir, "wbps", io.ThrottleWriteBpsDevice, "blockIO.throttleWriteBpsDevice");
        Limit(dir, "riops", io.ThrottleReadIopsDevice, "blockIO.throttleReadIOPSDevice");
        Limit(dir, "wiops", io.ThrottleWriteIopsDevice, "blockIO.throttleWriteIOPSDevice");
    }

    private static void Limit(string dir, string key, List<LinuxThrottleDevice>? devices, string field)
    {
        for (int i = 0; i < (devices?.Count ?? 0); i++)
            CgroupFile.Write(dir, "io.max", $"{devices![i].Major}:{devices[i].Minor} {key}={devices[i].Rate}", $"{field}[{i}]");
    }
}
