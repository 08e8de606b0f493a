namespace Runcs.Spec;

/// <summary>Checks of <c>hooks</c>.</summary>
internal static class HookChecks
{
    public static void Check(Hooks? hooks, ValidationErrors errors)
    {
        if (hooks is null)
            return;
        CheckList(hooks.Prestart, "hooks.prestart", errors);
        CheckList(hooks.CreateRuntime, "hooks.createRuntime", errors);
        CheckList(hooks.CreateContainer, "hooks.createContainer", errors);
        CheckList(hooks.StartContainer, "hooks.startContainer", errors);
        CheckList(hooks.Poststart, "hooks.poststart", errors);
        CheckList(hooks.Poststop, "hooks.poststop", errors);
    }

    private static void CheckList(List<Hook>? hooks, string path, ValidationErrors errors)
    {
        for (var i = 0; i < (hooks?.Count ?? 0); i++)
        {
            var hook = hooks![i];
            var hookPath = JsonPath.Element(path, i);
            if (!hook.Path.StartsWith('/'))
                errors.Add(JsonPath.Member(hookPath, "path"), $"must be an absolute path, got \"{hook.Path}\"");
            // The spec asks for a positive timeout: zero would kill the hook before it ran.
            if (hook.Timeout <= 0)
                errors.Add(JsonPath.Member(hookPath, "timeout"), "must be greater than zero");
        }
    }
}
