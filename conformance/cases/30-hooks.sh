# Hook cases (config.md "POSIX-platform Hooks", runtime.md "Lifecycle"): when each hook runs,
# the state it gets on stdin, its args and env, and what a failing hook does.

# hook NAME: a hook that saves its stdin to out/NAME.json and appends NAME to out/order.
# startContainer runs in the container, where the bundle's out/ is /out.
hook() {
    local dir='$bundle + "/out"'
    [[ $1 == startContainer ]] && dir='"/out"'
    printf '{path: "/bin/sh", args: ["sh", "-c", ("cat > " + %s + "/%s.json; echo %s >> " + %s + "/order")]}' \
        "$dir" "$1" "$1" "$dir"
}

# failing_hook: a hook that exits 1.
readonly FAILING_HOOK='{path: "/bin/sh", args: ["sh", "-c", "exit 1"]}'

hooks_bundle() {
    lifecycle_bundle "${1:-$WAITER}" "${2:-.}"
}

# order_is WORDS...: out/order lists exactly these hooks, in this order.
order_is() {
    local got
    got=$(tr '\n' ' ' <"$B/out/order" 2>/dev/null)
    [[ ${got% } == "$*" ]] || fail "hooks run so far: \"${got% }\", expected \"$*\""
}

hk_order_and_state() {
    hooks_bundle "$WAITER" ".annotations = {\"org.example.hooks\": \"yes\"} | .hooks = {
        prestart: [$(hook prestart)], createRuntime: [$(hook createRuntime)],
        createContainer: [$(hook createContainer)], startContainer: [$(hook startContainer)],
        poststart: [$(hook poststart)], poststop: [$(hook poststop)]}" || return 1
    expect_ok "create" rt create --bundle "$B" "$ID" || return 1
    order_is prestart createRuntime createContainer || { diag "after create"; return 1; }
    local pid
    pid=$(state_field "$ID" pid)
    expect_ok "start" rt start "$ID" || return 1
    order_is prestart createRuntime createContainer startContainer poststart || { diag "after start returned"; return 1; }
    expect_ok "kill" rt kill "$ID" KILL || return 1
    wait_for status_is "$ID" stopped || fail "the container did not stop" || return 1
    expect_ok "delete" rt delete "$ID" || return 1
    order_is prestart createRuntime createContainer startContainer poststart poststop || { diag "after delete"; return 1; }

    local name json status_ok
    for name in prestart createRuntime createContainer startContainer poststart poststop; do
        json=$(cat "$B/out/$name.json")
        case $name in
            prestart | createRuntime | createContainer) status_ok='.status == "creating"' ;;
            startContainer | poststart) status_ok='(.status == "created" or .status == "running")' ;;
            poststop) status_ok='.status == "stopped"' ;;
        esac
        jq -e --arg id "$ID" --arg bundle "$B" ".ociVersion != null and .id == \$id and .bundle == \$bundle
            and .annotations == {\"org.example.hooks\": \"yes\"} and $status_ok" <<<"$json" >/dev/null \
            || fail "$name hook got the state $json" || return 1
        # The pid "as seen by the host": hooks that run in the runtime's namespaces see the host pid.
        if [[ $name == prestart || $name == createRuntime || $name == poststart ]]; then
            [[ $(jq -r .pid <<<"$json") == "$pid" ]] || fail "$name hook got pid $(jq -r .pid <<<"$json"), the container's is $pid" || return 1
        fi
    done
}
register hooks "every hook runs at its step, in order, with the container's state on stdin" hk_order_and_state

hk_args_env() {
    # sh -c SCRIPT NAME ARGS...: the script sees NAME as $0; its own argv[0] is in /proc/$$/cmdline.
    hooks_bundle 'true' '.hooks.prestart = [{path: "/bin/sh",
        args: ["hook-argv0", "-c", "echo \"$(head -c 10 /proc/$$/cmdline)|$0|$1|$FOO|${HOME-unset}\" > \"$2\"",
               "zero", "first", ($bundle + "/out/args")],
        env: ["FOO=bar baz"]}]' || return 1
    expect_ok "create" rt create --bundle "$B" "$ID" || return 1
    local got want="hook-argv0|zero|first|bar baz|unset"
    got=$(tr -d '\0' <"$B/out/args" 2>/dev/null)
    [[ $got == "$want" ]] \
        || fail "hook saw argv0|\$0|\$1|FOO|HOME = \"$got\", expected \"$want\" (args as given, env exactly as given)"
}
register hooks "a hook gets its args (args[0] included) and exactly its env" hk_args_env

# hk_failing PHASE: a failing hook in PHASE fails create, the container is destroyed, poststop runs.
hk_failing_create_phase() {
    local phase=$1
    hooks_bundle "$WAITER" ".hooks = {$phase: [$FAILING_HOOK], poststop: [$(hook poststop)]}" || return 1
    expect_fails "create with a failing $phase hook" rt create --bundle "$B" "$ID" || return 1
    expect_nothing_left "$ID" || return 1
    [[ ! -e $B/out/started ]] || fail "the program ran" || return 1
    order_is poststop || diag "runtime.md: a failing $phase hook continues the lifecycle at step 12 (destroy), then 13 (poststop hooks)"
}
register hooks "a failing prestart hook fails create, destroys the container, and poststop hooks run" \
    hk_failing_create_phase prestart
register hooks "a failing createRuntime hook fails create, destroys the container, and poststop hooks run" \
    hk_failing_create_phase createRuntime
register hooks "a failing createContainer hook fails create, destroys the container, and poststop hooks run" \
    hk_failing_create_phase createContainer

hk_failing_start_container() {
    hooks_bundle "$WAITER" ".hooks = {startContainer: [$FAILING_HOOK]}" || return 1
    expect_ok "create" rt create --bundle "$B" "$ID" || return 1
    rt start "$ID" >/dev/null 2>&1
    wait_for status_is "$ID" stopped || fail "the container is $(state_field "$ID" status) after its startContainer hook failed" || return 1
    [[ ! -e $B/out/started ]] || fail "the program ran although the startContainer hook failed"
}
register hooks "a failing startContainer hook stops the container before the program runs" hk_failing_start_container

hk_failing_poststart() {
    hooks_bundle "$WAITER" ".hooks = {poststart: [$FAILING_HOOK]}" || return 1
    rt create --bundle "$B" "$ID" >/dev/null 2>&1
    rt start "$ID" >/dev/null 2>&1
    wait_for test -e "$B/out/started" || fail "the program did not run: a failing poststart hook must only warn" || return 1
    expect_status "$ID" running
}
register hooks "a failing poststart hook only warns: the program runs on" hk_failing_poststart

hk_failing_poststop() {
    stopped_container ".hooks = {poststop: [$FAILING_HOOK]}" || return 1
    expect_ok "delete with a failing poststop hook" rt delete "$ID" || return 1
    expect_gone "$ID"
}
register hooks "a failing poststop hook only warns: delete removes the container" hk_failing_poststop

hk_timeout() {
    hooks_bundle 'true' '.hooks.prestart = [{path: "/bin/sleep", args: ["sleep", "10"], timeout: 1}]' || return 1
    local start=$SECONDS
    expect_fails "create with a prestart hook past its timeout" rt create --bundle "$B" "$ID" || return 1
    ((SECONDS - start < 8)) || fail "create took $((SECONDS - start)) s: the hook was not stopped at its 1 s timeout" || return 1
    expect_nothing_left "$ID"
}
register hooks "a hook past its timeout is stopped and fails create" hk_timeout
