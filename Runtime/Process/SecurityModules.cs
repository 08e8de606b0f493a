using Runcs.Runtime.Native;
using SpecProcess = Runcs.Spec.Process;

namespace Runcs.Runtime.Process;

/// <summary>
/// process.apparmorProfile and process.selinuxLabel: written to the process's
/// attr/exec file, so the kernel applies them at execve. Asking for one on a
/// host without that security module is an error: silently running the
/// container unconfined would be worse.
/// </summary>
public static class SecurityModules
{
    public static bool AppArmorEnabled =>
        ReadTrimmed("/sys/module/apparmor/parameters/enabled") == "Y" && Directory.Exists("/sys/kernel/security/apparmor");

    public static bool SelinuxEnabled => File.Exists("/sys/fs/selinux/enforce");

    /// <summary>Checks what the host can do; call before anything is created.</summary>
    public static void Check(SpecProcess process, string path = "process")
    {
        if (!string.IsNullOrEmpty(process.ApparmorProfile) && !AppArmorEnabled)
            throw new RuntimeException($"{path}.apparmorProfile: AppArmor profile \"{process.ApparmorProfile}\" requested, but AppArmor is not enabled on this host");
        if (!string.IsNullOrEmpty(process.SelinuxLabel) && !SelinuxEnabled)
            throw new RuntimeException($"{path}.selinuxLabel: SELinux label \"{process.SelinuxLabel}\" requested, but SELinux is not enabled on this host");
    }

    /// <summary>Just before execve: the labels the program runs under.</summary>
    public static void Emit(PlanBuilder plan, SpecProcess process)
    {
        Check(process);
        if (!string.IsNullOrEmpty(process.ApparmorProfile))
        {
            // Linux 5.8+ has a per-module file; older kernels share attr/exec.
            var file = File.Exists("/proc/self/attr/apparmor/exec") ? "/proc/thread-self/attr/apparmor/exec" : "/proc/thread-self/attr/exec";
            plan.WriteFile(file, "exec " + process.ApparmorProfile, $"apply AppArmor profile \"{process.ApparmorProfile}\"");
        }
        if (!string.IsNullOrEmpty(process.SelinuxLabel))
            plan.WriteFile("/proc/thread-self/attr/exec", process.SelinuxLabel, $"set SELinux label \"{process.SelinuxLabel}\"");
    }

    private static string? ReadTrimmed(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
