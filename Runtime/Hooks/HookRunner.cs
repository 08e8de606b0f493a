using Runcs.Runtime.Namespaces;
using Runcs.Runtime.Native;
using Runcs.Runtime.Process;
using Runcs.Spec;
using Tmds.Linux;

namespace Runcs.Runtime.Hooks;

/// <summary>
/// Runs the hooks of one phase, in order, each with the container's state on
/// stdin, its own args and env, and its timeout. Hooks start through the plan
/// executor like everything else, so one that must run inside the container's
/// namespaces (createContainer) enters them between clone() and execve().
/// The first failing hook stops the phase with an error naming it.
/// </summary>
public static class HookRunner
{
    /// <param name="phase">The hook list's name in config.json, for messages ("prestart").</param>
    /// <param name="enterNamespacesOf">A process whose namespaces the hooks run in, or null for the runtime's own.</param>
    /// <param name="cwd">The hooks' working directory (runc runs create's hooks in the bundle).</param>
    public static void Run(string phase, IReadOnlyList<Hook>? hooks, byte[] state, int? enterNamespacesOf = null, string? cwd = null)
    {
        for (int i = 0; i < (hooks?.Count ?? 0); i++)
        {
            var hook = hooks![i];
            var failure = RunOne(hook, state, enterNamespacesOf, cwd);
            if (failure is not null)
                throw new RuntimeException($"error running {phase} hook #{i}: {failure}");
        }
    }

    /// <summary>Runs hooks whose failure the spec only lets us warn about (poststart, poststop).</summary>
    public static void RunWarning(string phase, IReadOnlyList<Hook>? hooks, byte[] state, Action<string> warn)
    {
        for (int i = 0; i < (hooks?.Count ?? 0); i++)
        {
            var failure = RunOne(hooks![i], state, null, null);
            if (failure is not null)
                warn($"error running {phase} hook #{i}: {failure}");
        }
    }

    /// <summary>Null when the hook succeeded, else why it did not.</summary>
    private static string? RunOne(Hook hook, byte[] state, int? enterNamespacesOf, string? cwd)
    {
        using var stdin = Pipe.Create();
        using var stdout = Pipe.Create();
        using var stderr = Pipe.Create();

        var plan = new PlanBuilder();
        NamespaceSetup? namespaces = null;
        if (enterNamespacesOf is int pid)
        {
            namespaces = NamespaceSetup.JoinAllOf(pid);
            namespaces.EmitJoinStage(plan);
        }
        plan.Dup2(stdin.ReadFd, 0);
        plan.Dup2(stdout.WriteFd, 1);
        plan.Dup2(stderr.WriteFd, 2);
        plan.CloexecFrom(3);
        if (cwd is not null)
            plan.Chdir(cwd, $"chdir to \"{cwd}\"");
        plan.LookupExec(hook.Path, "");
        var args = hook.Args is { Count: > 0 } ? hook.Args : [hook.Path];
        // Without "env" a hook inherits the runtime's environment, as under runc.
        plan.Execve(args, (IReadOnlyList<string>?)hook.Env ?? InheritedEnvironment());

        ExecutorSession session;
        try
        {
            session = ExecutorSession.Start(plan.Build());
        }
        finally
        {
            namespaces?.Dispose();
        }
        using (session)
        {
            stdin.CloseRead();
            stdout.CloseWrite();
            stderr.CloseWrite();
            var output = stdout.ReadToEndAsync();
            var errors = stderr.ReadToEndAsync();
            try
            {
                session.Run(_ => null);
            }
            catch (PlanFailedException e)
            {
                session.WaitForExit();
                return e.Message;
            }
            stdin.WriteAllAndClose(state);

            var status = WaitWithTimeout(session, hook.Timeout);
            if (status is null)
                return $"hook ran past specified timeout of {hook.Timeout}s";
            if (status != 0)
            {
                var why = Syscalls.WIfExited(status.Value)
                    ? $"exit status {Syscalls.WExitStatus(status.Value)}"
                    : $"signal: {Signals.NameOf(Syscalls.WTermSig(status.Value))}";
                return $"{why}, stdout: {output.Result.TrimEnd()}, stderr: {errors.Result.TrimEnd()}";
            }
            return null;
        }
    }

    private static string[] InheritedEnvironment() =>
        System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => $"{e.Key}={e.Value}").ToArray();

    /// <summary>The raw wait status, or null when the timeout passed (the hook is then killed).</summary>
    private static int? WaitWithTimeout(ExecutorSession session, int? timeoutSeconds)
    {
        if (timeoutSeconds is > 0 && !ProcessWait.ForExit(session.Pid, TimeSpan.FromSeconds(timeoutSeconds.Value)))
        {
            session.Abort();
            return null;
        }
        return session.WaitForExit();
    }
}
