using XapiSim.Rpc;

namespace XapiSim.Model.Methods;

/// <summary><c>session.*</c>: login (with HOST_IS_SLAVE on members and a deliberate delay on bad credentials) and logout. Field getters are generic.</summary>
internal static class SessionMethods
{
    public static void Register(MethodTable table)
    {
        table.Add("session.login_with_password", LoginAsync);
        table.Add("session.slave_local_login_with_password", LocalLoginAsync);
        table.Add("session.logout", call =>
        {
            call.Pool.DestroySession(call.Session!);
            return RpcVoid.Instance;
        });
        table.Add("session.local_logout", call =>
        {
            call.Pool.DestroySession(call.Session!);
            return RpcVoid.Instance;
        });
    }

    private static async ValueTask<object> LoginAsync(MethodCall call, CancellationToken cancellationToken)
    {
        var pool = call.Pool;
        if (call.HostRef != pool.MasterRef)
        {
            throw new XenApiFailure("HOST_IS_SLAVE", pool.Database.GetString("host", pool.MasterRef, "address"));
        }

        return await AuthenticateAsync(call, cancellationToken).ConfigureAwait(false);
    }

    private static ValueTask<object> LocalLoginAsync(MethodCall call, CancellationToken cancellationToken) => AuthenticateAsync(call, cancellationToken);

    private static async ValueTask<object> AuthenticateAsync(MethodCall call, CancellationToken cancellationToken)
    {
        var pool = call.Pool;
        var user = call.Str(0);
        if (!pool.Users.TryGetValue(user, out var password) || password != call.Str(1))
        {
            if (pool.AuthenticationFailureDelay > TimeSpan.Zero)
            {
                await Task.Delay(pool.AuthenticationFailureDelay, pool.Time, cancellationToken).ConfigureAwait(false);
            }

            throw new XenApiFailure("SESSION_AUTHENTICATION_FAILED", user, "Authentication failure");
        }

        var originator = call.Args.Count > 3 ? call.Str(3) : string.Empty;
        return pool.CreateSession(user, call.HostRef, originator);
    }
}
