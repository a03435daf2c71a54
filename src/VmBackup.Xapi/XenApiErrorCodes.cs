namespace VmBackup.Xapi;

/// <summary>XAPI error codes this client and its callers act on (see XAPI's <c>api_errors.ml</c>).</summary>
public static class XenApiErrorCodes
{
    /// <summary><c>[handle]</c>: the session reference is not (or no longer) valid.</summary>
    public const string SessionInvalid = "SESSION_INVALID";

    /// <summary><c>[user, message]</c>: wrong user name or password.</summary>
    public const string SessionAuthenticationFailed = "SESSION_AUTHENTICATION_FAILED";

    /// <summary><c>[master_address]</c>: the host is a pool member; log in to the master instead.</summary>
    public const string HostIsSlave = "HOST_IS_SLAVE";

    /// <summary><c>[class, ref]</c>: the object reference does not exist.</summary>
    public const string HandleInvalid = "HANDLE_INVALID";

    /// <summary><c>[type, uuid]</c>: no object has that UUID.</summary>
    public const string UuidInvalid = "UUID_INVALID";

    /// <summary><c>[method, expected, received]</c>: wrong number of parameters.</summary>
    public const string MessageParameterCountMismatch = "MESSAGE_PARAMETER_COUNT_MISMATCH";

    /// <summary><c>[method]</c>: no such method.</summary>
    public const string MessageMethodUnknown = "MESSAGE_METHOD_UNKNOWN";

    /// <summary>The method was removed from the API.</summary>
    public const string MessageRemoved = "MESSAGE_REMOVED";

    /// <summary><c>[vm, expected, actual]</c>: the VM is in the wrong power state.</summary>
    public const string VmBadPowerState = "VM_BAD_POWER_STATE";

    /// <summary><c>[reason]</c>.</summary>
    public const string OperationNotAllowed = "OPERATION_NOT_ALLOWED";

    /// <summary><c>[task]</c>: the task was cancelled.</summary>
    public const string TaskCancelled = "TASK_CANCELLED";

    /// <summary>Events were lost; restart <c>event.from</c> with an empty token.</summary>
    public const string EventsLost = "EVENTS_LOST";

    /// <summary><c>[message]</c>.</summary>
    public const string InternalError = "INTERNAL_ERROR";

    /// <summary>An XML-RPC <c>&lt;fault&gt;</c> (XAPI never sends one for API errors): <c>[faultCode, faultString]</c>.</summary>
    public const string XmlRpcFault = "XMLRPC_FAULT";
}
