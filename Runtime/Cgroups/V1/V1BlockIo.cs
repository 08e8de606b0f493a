using Runcs.Spec;

namespace Runcs.Runtime.Cgroups.V1;

/// <summary>
/// linux.resources.blockIO on the v1 blkio controller. Weights live in
/// blkio.weight under the old CFQ scheduler and in blkio.bfq.weight under BFQ
/// (the only weighted scheduler of current kernels); throttling is the same under both.
/// </summary>
public static class V1BlockIo
{
    public static void Apply(string dir, LinuxBlockIo io)
    {
        var (weightFile, weightDeviceFile) = CgroupFile.Exists(dir, "blkio.weight")
            ? ("blkio.weight", "blkio.weight_device")
            : ("blkio.bfq.weight", "blkio.bfq.weight_device");
        if (io.Weight is { } weight && weight != 0)
            CgroupFile.Write(dir, RequireFile(dir, weightFile, "blockIO.weight"), weight.ToString(), "blockIO.weight");
        if (io.LeafWeight is { } leaf && leaf != 0)
            CgroupFile.Write(dir, RequireFile(dir, "blkio.leaf_weight", "blockIO.leafWeight"), leaf.ToString(), "blockIO.leafWeight");
        for (int i = 0; i < (io.WeightDevice?.Count ?? 0); i++)
        {
            var device = io.WeightDevice![i];
            var field = $"blockIO.weightDevice[{i}]";
            if (device.Weight is { } w && w != 0)
                CgroupFile.Write(dir, RequireFile(dir, weightDeviceFile, field), $"{device.Major}:{device.Minor} {w}", field);
            if (device.LeafWeight is { } lw && lw != 0)
                CgroupFile.Write(dir, RequireFile(dir, "blkio.leaf_weight_device", field), $"{device.Major}:{device.Minor} {lw}", field);
        }
        Throttle(dir, "blkio.throttle.read_bps_device", io.ThrottleReadBpsDevice, "blockIO.throttleReadBpsDevice");
        Throttle(dir, "blkio.throttle.write_bps_device", io.ThrottleWriteBpsDevice, "blockIO.throttleWriteBpsDevice");
        Throttle(dir, "blkio.throttle.read_iops_device", io.ThrottleReadIopsDevice, "blockIO.throttleReadIOPSDevice");
        Throttle(dir, "blkio.throttle.write_iops_device", io.ThrottleWriteIopsDevice, "blockIO.throttleWriteIOPSDevice");
    }

    private static void Throttle(string dir, string file, List<LinuxThrottleDevice>? devices, string field)
    {
        for (int i = 0; i < (devices?.Count ?? 0); i++)
            CgroupFile.Write(dir, file, $"{devices![i].Major}:{devices[i].Minor} {devices[i].Rate}", $"{field}[{i}]");
    }

    private static string RequireFile(string dir, string file, string field) =>
        CgroupFile.Exists(dir, file) ? file : throw ResourceField.Error(field, $"this host's I/O scheduler has no {file} (weights need the BFQ or CFQ scheduler)");
}
