using System.Net;
using XapiSim.Faults;
using XapiSim.Model.Database;
using XapiSim.Model.Schema;
using XapiSim.Rpc;
using XapiSim.Storage;

namespace XapiSim.Model;

/// <summary>
/// The simulated pool's state and the services built on it, shared by the RPC dispatcher and the HTTP data plane:
/// the database, the disk store (VDI ref to disk id), sessions, tasks, users and fault knobs. Thread-safe.
/// </summary>
public sealed class SimulatedPool
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _sharedStorage = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _diskIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _sessionStarts = new(StringComparer.Ordinal);
    private readonly Dictionary<IPAddress, string> _hostsByAddress = [];
    private readonly HashSet<string> _drivenTasks = new(StringComparer.Ordinal);

    internal SimulatedPool(PoolDatabase database, IDiskStore disks, TimeProvider time, FaultKnobs faults, IReadOnlyDictionary<string, string> users)
    {
        Database = database;
        Disks = disks;
        Time = time;
        Faults = faults;
        Users = users;
        Faults.SessionsExpired += (_, _) => ExpireAllSessions();
    }

    public PoolDatabase Database { get; }

    public IDiskStore Disks { get; }

    public TimeProvider Time { get; }

    public FaultKnobs Faults { get; }

    /// <summary>User name to password; a login must match one entry.</summary>
    public IReadOnlyDictionary<string, string> Users { get; }

    /// <summary>How long a failed login waits before answering (XAPI delays deliberately).</summary>
    public TimeSpan AuthenticationFailureDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>The pool object's reference.</summary>
    public string PoolRef => Database.GetAll("pool")[0];

    /// <summary>The master host's reference.</summary>
    public string MasterRef => Database.GetString("pool", PoolRef, "master");

    /// <summary>The current time as XAPI stores it (UTC, whole seconds).</summary>
    public DateTime Now
    {
        get
        {
            var now = Time.GetUtcNow().UtcDateTime;
            return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        }
    }

    /// <summary>Says which host answers calls received on <paramref name="address"/>.</summary>
    public void MapHostAddress(IPAddress address, string hostRef)
    {
        lock (Database.SyncRoot)
        {
            _hostsByAddress[address] = hostRef;
        }
    }

    /// <summary>The host listening on <paramref name="address"/>; the master when unknown.</summary>
    public string HostForAddress(IPAddress? address)
    {
        lock (Database.SyncRoot)
        {
            return address is not null && _hostsByAddress.TryGetValue(address, out var host) ? host : MasterRef;
        }
    }

    // ---- disks ----

    /// <summary>Records that <paramref name="srRef"/> keeps its VDIs in the shared (replicated) <paramref name="folder"/>.</summary>
    public void MapSharedStorage(string srRef, string folder) => _sharedStorage[srRef] = folder;

    /// <summary>Forgets the shared folder of <paramref name="srRef"/> (the SR is forgotten; the folder stays).</summary>
    public void UnmapSharedStorage(string srRef) => _sharedStorage.TryRemove(srRef, out _);

    /// <summary>The shared folder of <paramref name="srRef"/>, or null for an SR whose disks are private to this pool.</summary>
    public string? SharedStorageOf(string srRef) => _sharedStorage.GetValueOrDefault(srRef);

    /// <summary>Records that <paramref name="vdiRef"/>'s content is disk <paramref name="diskId"/> of <see cref="Disks"/>.</summary>
    public void SetDisk(string vdiRef, string diskId)
    {
        lock (Database.SyncRoot)
        {
            _diskIds[vdiRef] = diskId;
        }
    }

    /// <summary>The disk id holding the VDI's content, or null (ISO images and data-destroyed VDIs have none).</summary>
    public string? DiskOf(string vdiRef)
    {
        lock (Database.SyncRoot)
        {
            return _diskIds.GetValueOrDefault(vdiRef);
        }
    }

    /// <summary>
    /// Forgets the VDI's disk without destroying its content (<c>SR.forget</c>, a VDI gone from an SR scan): a shared
    /// disk's file is closed and kept; a private disk is kept in the store.
    /// </summary>
    public void ForgetDisk(string vdiRef)
    {
        string? id;
        lock (Database.SyncRoot)
        {
            _diskIds.Remove(vdiRef, out id);
        }

        if (id is not null && Disks is ISharedDiskStore shared)
        {
            shared.ForgetShared(id);
        }
    }

    /// <summary>Forgets the VDI's disk and destroys it in the store.</summary>
    public void DropDisk(string vdiRef)
    {
        string? id;
        lock (Database.SyncRoot)
        {
            _diskIds.Remove(vdiRef, out id);
        }

        if (id is not null)
        {
            Disks.Destroy(id);
        }
    }

    // ---- sessions ----

    /// <summary>True if <paramref name="user"/> exists with this password (for HTTP Basic authentication).</summary>
    public bool CheckPassword(string user, string password)
        => Users.TryGetValue(user, out var expected) && expected == password;

    /// <summary>Creates a session for <paramref name="user"/> on <paramref name="hostRef"/> (no password check).</summary>
    public string CreateSession(string user, string hostRef, string originator = "")
    {
        var now = Now;
        var session = Database.Create("session", new Dictionary<string, object>
        {
            ["this_host"] = hostRef,
            ["this_user"] = XapiValues.NullRef,
            ["last_active"] = now,
            ["pool"] = false,
            ["is_local_superuser"] = true,
            ["subject"] = XapiValues.NullRef,
            ["validation_time"] = now,
            ["auth_user_sid"] = string.Empty,
            ["auth_user_name"] = user,
            ["rbac_permissions"] = new List<object>(),
            ["originator"] = originator,
        });
        lock (Database.SyncRoot)
        {
            _sessionStarts[session] = Time.GetUtcNow();
        }

        return session;
    }

    /// <summary>True if <paramref name="sessionRef"/> is a live session (and within the configured lifetime).</summary>
    public bool IsSessionValid(string sessionRef)
    {
        lock (Database.SyncRoot)
        {
            if (!_sessionStarts.TryGetValue(sessionRef, out var started) || !Database.Exists(sessionRef, "session"))
            {
                return false;
            }

            if (Faults.SessionLifetime is { } lifetime && Time.GetUtcNow() - started > lifetime)
            {
                DestroySession(sessionRef);
                return false;
            }

            return true;
        }
    }

    /// <summary>Throws <c>SESSION_INVALID [ref]</c> unless the session is valid.</summary>
    public void ValidateSession(string sessionRef)
    {
        if (!IsSessionValid(sessionRef))
        {
            throw new XenApiFailure("SESSION_INVALID", sessionRef);
        }
    }

    /// <summary>Ends a session.</summary>
    public void DestroySession(string sessionRef)
    {
        lock (Database.SyncRoot)
        {
            _sessionStarts.Remove(sessionRef);
            Database.Destroy(sessionRef);
        }
    }

    /// <summary>Invalidates every live session.</summary>
    public void ExpireAllSessions()
    {
        lock (Database.SyncRoot)
        {
            foreach (var session in _sessionStarts.Keys.ToList())
            {
                DestroySession(session);
            }
        }
    }

    // ---- tasks ----

    /// <summary>Creates a pending task (progress 0, cancellable) resident on <paramref name="hostRef"/> (default: master).</summary>
    public string CreateTask(string label, string description, string? sessionRef = null, string? hostRef = null)
        => Database.Create("task", new Dictionary<string, object>
        {
            ["name_label"] = label,
            ["name_description"] = description,
            ["allowed_operations"] = new List<object> { "cancel" },
            ["created"] = Now,
            ["finished"] = XapiValues.Epoch,
            ["status"] = "pending",
            ["resident_on"] = hostRef ?? MasterRef,
            ["progress"] = 0.0,
        });

    /// <summary>Sets the task's progress (0..1; the CLI also writes -1).</summary>
    public void SetTaskProgress(string taskRef, double progress) => Database.Set("task", taskRef, "progress", progress);

    /// <summary>Completes the task successfully with <paramref name="result"/> (serialised as XML-RPC text; null or void = "").</summary>
    public void CompleteTask(string taskRef, object? result)
    {
        lock (Database.SyncRoot)
        {
            if (!Database.Exists(taskRef, "task") || Database.GetString("task", taskRef, "status") is not ("pending" or "cancelling"))
            {
                return;
            }

            Database.Set("task", taskRef, "progress", 1.0);
            Database.Set("task", taskRef, "result", XmlRpcValueText.Serialize(result));
            Database.Set("task", taskRef, "finished", Now);
            Database.Set("task", taskRef, "allowed_operations", new List<object>());
            Database.Set("task", taskRef, "status", "success");
        }
    }

    /// <summary>Fails the task with <paramref name="failure"/> (<c>TASK_CANCELLED</c> gives status <c>cancelled</c>).</summary>
    public void FailTask(string taskRef, XenApiFailure failure)
    {
        lock (Database.SyncRoot)
        {
            if (!Database.Exists(taskRef, "task") || Database.GetString("task", taskRef, "status") is not ("pending" or "cancelling"))
            {
                return;
            }

            Database.Set("task", taskRef, "progress", 1.0);
            Database.Set("task", taskRef, "error_info", failure.Description.Cast<object>().ToList());
            Database.Set("task", taskRef, "finished", Now);
            Database.Set("task", taskRef, "allowed_operations", new List<object>());
            Database.Set("task", taskRef, "status", failure.Code == "TASK_CANCELLED" ? "cancelled" : "failure");
        }
    }

    /// <summary>
    /// Says that code in the simulator (an Async call, an HTTP handler) is running the task, so that
    /// <c>task.cancel</c> only marks it <c>cancelling</c> and leaves the ending to that code.
    /// </summary>
    public void ClaimTask(string taskRef)
    {
        lock (Database.SyncRoot)
        {
            _drivenTasks.Add(taskRef);
        }
    }

    /// <summary>
    /// <c>task.cancel</c>: a pending task becomes <c>cancelling</c>; one that nothing in the simulator drives
    /// (made by <c>task.create</c> and not claimed) is cancelled at once with <c>TASK_CANCELLED</c>.
    /// </summary>
    public void CancelTask(string taskRef)
    {
        lock (Database.SyncRoot)
        {
            Database.Require("task", taskRef);
            if (Database.GetString("task", taskRef, "status") != "pending")
            {
                return;
            }

            Database.Set("task", taskRef, "status", "cancelling");
            if (!_drivenTasks.Contains(taskRef))
            {
                FailTask(taskRef, new XenApiFailure("TASK_CANCELLED", taskRef));
            }
        }
    }

    /// <summary>True if someone asked to cancel the task (its status is <c>cancelling</c>).</summary>
    public bool IsTaskCancelling(string taskRef)
        => Database.Exists(taskRef, "task") && Database.GetString("task", taskRef, "status") == "cancelling";
}
