using VmBackup.Xapi.Values;

namespace VmBackup.Xapi.Records;

/// <summary>A <c>task</c> record (progress and outcome of an asynchronous call or HTTP transfer).</summary>
public sealed record TaskRecord : IXenApiRecord<TaskRecord>
{
    /// <inheritdoc />
    public static string ClassName => "task";

    /// <summary><c>uuid</c>.</summary>
    public string Uuid { get; init; } = string.Empty;

    /// <summary><c>name_label</c>.</summary>
    public string NameLabel { get; init; } = string.Empty;

    /// <summary><c>name_description</c>.</summary>
    public string NameDescription { get; init; } = string.Empty;

    /// <summary><c>allowed_operations</c>.</summary>
    public IReadOnlyList<string> AllowedOperations { get; init; } = [];

    /// <summary><c>created</c>; UTC.</summary>
    public DateTime Created { get; init; } = DateTime.UnixEpoch;

    /// <summary><c>finished</c>; UTC.</summary>
    public DateTime Finished { get; init; } = DateTime.UnixEpoch;

    /// <summary><c>status</c>.</summary>
    public XenTaskStatus Status { get; init; }

    /// <summary><c>resident_on</c>.</summary>
    public XenRef<HostRecord> ResidentOn { get; init; }

    /// <summary><c>progress</c>; 0..1.</summary>
    public double Progress { get; init; }

    /// <summary><c>type</c>.</summary>
    public string Type { get; init; } = string.Empty;

    /// <summary><c>result</c>; XML-RPC-serialised value, even over JSON-RPC.</summary>
    public string Result { get; init; } = string.Empty;

    /// <summary><c>error_info</c>; <c>[CODE, params…]</c> on failure.</summary>
    public IReadOnlyList<string> ErrorInfo { get; init; } = [];

    /// <summary><c>other_config</c>.</summary>
    public IReadOnlyDictionary<string, string> OtherConfig { get; init; } = EmptyMap.Instance;

    /// <summary><c>subtask_of</c>.</summary>
    public XenRef<TaskRecord> SubtaskOf { get; init; }

    /// <summary><c>subtasks</c>.</summary>
    public IReadOnlyList<XenRef<TaskRecord>> Subtasks { get; init; } = [];

    /// <summary><c>backtrace</c>.</summary>
    public string Backtrace { get; init; } = string.Empty;

    /// <inheritdoc />
    public static TaskRecord FromStruct(IReadOnlyDictionary<string, object?> fields)
    {
        var r = new XenStructReader(fields, ClassName);
        return new TaskRecord
        {
            Uuid = r.String("uuid"),
            NameLabel = r.String("name_label"),
            NameDescription = r.String("name_description"),
            AllowedOperations = r.Strings("allowed_operations"),
            Created = r.DateTime("created"),
            Finished = r.DateTime("finished"),
            Status = r.Enum<XenTaskStatus>("status"),
            ResidentOn = r.Ref<HostRecord>("resident_on"),
            Progress = r.Double("progress"),
            Type = r.String("type"),
            Result = r.String("result"),
            ErrorInfo = r.Strings("error_info"),
            OtherConfig = r.Map("other_config"),
            SubtaskOf = r.Ref<TaskRecord>("subtask_of"),
            Subtasks = r.Refs<TaskRecord>("subtasks"),
            Backtrace = r.String("backtrace"),
        };
    }
}
