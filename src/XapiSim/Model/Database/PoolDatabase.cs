using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.Model.Database;

/// <summary>
/// The simulated pool's database: every object of every class, keyed by reference, with XAPI's field shapes.
/// Thread-safe: every member takes the database lock, and <see cref="SyncRoot"/> lets a caller make several changes
/// atomically (the lock is re-entrant). Every change bumps the generation and wakes <see cref="WaitForChangeAsync"/>.
/// </summary>
/// <remarks>
/// Values are stored in the wire representation of <see cref="IRpcDispatcher"/>: string, long, bool, double,
/// DateTime, sets as lists, maps as dictionaries. Reads return deep copies. Relation set fields (VM.VBDs, SR.VDIs,
/// host.resident_VMs...) are computed from the other side on every read.
/// </remarks>
public sealed class PoolDatabase
{
    private readonly Dictionary<string, Dictionary<string, StoredObject>> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredObject> _byRef = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredObject> _byUuid = new(StringComparer.Ordinal);
    private readonly List<DeletedObject> _deleted = [];
    private readonly Dictionary<(string ClassName, string Field), Relation> _relationsBySet = [];
    private readonly Dictionary<(string ClassName, string Field), Relation> _relationsByRef = [];
    private readonly Dictionary<Relation, Dictionary<string, List<string>>> _members = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _generation;

    internal PoolDatabase()
    {
        foreach (var relation in Relation.All)
        {
            if (Model.Classes.ContainsKey(relation.ManyClass) && Model.Classes.ContainsKey(relation.OneClass))
            {
                _relationsBySet[(relation.OneClass, relation.SetField)] = relation;
                _relationsByRef[(relation.ManyClass, relation.RefField)] = relation;
                _members[relation] = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The lock every member takes; hold it to make several changes atomically.</summary>
    public Lock SyncRoot { get; } = new();

    /// <summary>The generation of the latest change (the event id).</summary>
    public long Generation
    {
        get
        {
            lock (SyncRoot)
            {
                return _generation;
            }
        }
    }

    internal static Datamodel Model => Datamodel.Instance;

    /// <summary>Creates an object of <paramref name="className"/>: datamodel defaults for every field, then <paramref name="values"/>; a new uuid unless given.</summary>
    /// <returns>The new reference.</returns>
    public string Create(string className, IReadOnlyDictionary<string, object>? values = null, string? reference = null)
    {
        var schema = Model[className];
        var fields = new Dictionary<string, object>(schema.Fields.Count, StringComparer.Ordinal);
        foreach (var field in schema.Fields)
        {
            if (!_relationsBySet.ContainsKey((className, field.Name)))
            {
                fields[field.Name] = field.Type.ParseDefault(field.DefaultText, Model.Enums);
            }
        }

        if (values is not null)
        {
            foreach (var (name, value) in values)
            {
                if (!schema.FieldsByName.ContainsKey(name))
                {
                    throw new ArgumentException($"{className} has no field {name}", nameof(values));
                }

                if (!_relationsBySet.ContainsKey((className, name)))
                {
                    fields[name] = XapiValues.Copy(value);
                }
            }
        }

        if (schema.FieldsByName.ContainsKey("uuid") && (!fields.TryGetValue("uuid", out var uuid) || (string)uuid == string.Empty))
        {
            fields["uuid"] = XapiValues.NewUuid();
        }

        lock (SyncRoot)
        {
            reference ??= XapiValues.NewRef();
            var stored = new StoredObject(reference, schema, fields, ++_generation);
            Table(className)[reference] = stored;
            _byRef[reference] = stored;
            if (stored.Uuid.Length > 0)
            {
                _byUuid[stored.Uuid] = stored;
            }

            foreach (var (name, value) in fields)
            {
                if (_relationsByRef.TryGetValue((className, name), out var relation) && value is string target)
                {
                    AddMember(relation, target, reference);
                    Touch(target);
                }
            }

            Signal();
            return reference;
        }
    }

    /// <summary>Removes an object. Returns false if it did not exist.</summary>
    public bool Destroy(string reference)
    {
        lock (SyncRoot)
        {
            if (!_byRef.Remove(reference, out var stored))
            {
                return false;
            }

            Table(stored.Schema.Name).Remove(reference);
            _byUuid.Remove(stored.Uuid);
            _deleted.Add(new DeletedObject(stored.Schema.Name, reference, stored.Created, ++_generation));
            foreach (var (name, value) in stored.Fields)
            {
                if (_relationsByRef.TryGetValue((stored.Schema.Name, name), out var relation) && value is string target)
                {
                    RemoveMember(relation, target, reference);
                    Touch(target);
                }
            }

            Signal();
            return true;
        }
    }

    /// <summary>True if <paramref name="reference"/> names a live object (of <paramref name="className"/> if given).</summary>
    public bool Exists(string reference, string? className = null)
    {
        lock (SyncRoot)
        {
            return _byRef.TryGetValue(reference, out var stored) && (className is null || stored.Schema.Name == className);
        }
    }

    /// <summary>The class of a live object, or null.</summary>
    public string? ClassOf(string reference)
    {
        lock (SyncRoot)
        {
            return _byRef.TryGetValue(reference, out var stored) ? stored.Schema.Name : null;
        }
    }

    /// <summary>Every reference of the class, in creation order.</summary>
    public IReadOnlyList<string> GetAll(string className)
    {
        lock (SyncRoot)
        {
            return _tables.TryGetValue(className, out var table) ? [.. table.Keys] : [];
        }
    }

    /// <summary>How many objects the class has.</summary>
    public int Count(string className)
    {
        lock (SyncRoot)
        {
            return _tables.TryGetValue(className, out var table) ? table.Count : 0;
        }
    }

    /// <summary>The reference of the object with this uuid in the class, or null.</summary>
    public string? FindByUuid(string className, string uuid)
    {
        lock (SyncRoot)
        {
            return _byUuid.TryGetValue(uuid, out var stored) && stored.Schema.Name == className ? stored.Ref : null;
        }
    }

    /// <summary>References of the objects of the class whose <c>name_label</c> is <paramref name="label"/>.</summary>
    public IReadOnlyList<string> FindByNameLabel(string className, string label)
        => Where(className, fields => fields.TryGetValue("name_label", out var name) && (string)name == label);

    /// <summary>References of the objects of the class whose stored fields satisfy <paramref name="predicate"/>.</summary>
    public IReadOnlyList<string> Where(string className, Func<IReadOnlyDictionary<string, object>, bool> predicate)
    {
        lock (SyncRoot)
        {
            return _tables.TryGetValue(className, out var table)
                ? [.. table.Values.Where(o => predicate(o.Fields)).Select(o => o.Ref)]
                : [];
        }
    }

    /// <summary>The full record (every field, relation sets computed), or throws <c>HANDLE_INVALID [class, ref]</c>.</summary>
    public IReadOnlyDictionary<string, object> GetRecord(string className, string reference)
    {
        lock (SyncRoot)
        {
            return BuildRecord(Require(className, reference));
        }
    }

    /// <summary>Every record of the class, by reference.</summary>
    public IReadOnlyDictionary<string, object> GetAllRecords(string className)
    {
        lock (SyncRoot)
        {
            var result = new Dictionary<string, object>(StringComparer.Ordinal);
            if (_tables.TryGetValue(className, out var table))
            {
                foreach (var stored in table.Values)
                {
                    result[stored.Ref] = BuildRecord(stored);
                }
            }

            return result;
        }
    }

    /// <summary>One field's value (a copy), or throws <c>HANDLE_INVALID</c>.</summary>
    public object Get(string className, string reference, string field)
    {
        lock (SyncRoot)
        {
            var stored = Require(className, reference);
            return _relationsBySet.TryGetValue((className, field), out var relation)
                ? ComputeSet(relation, reference)
                : XapiValues.Copy(stored.Fields[field]);
        }
    }

    /// <summary>A string field (refs, enums, strings).</summary>
    public string GetString(string className, string reference, string field) => (string)Get(className, reference, field);

    /// <summary>A set field as strings.</summary>
    public IReadOnlyList<string> GetStrings(string className, string reference, string field)
        => [.. ((IReadOnlyList<object>)Get(className, reference, field)).Cast<string>()];

    /// <summary>Sets one stored field and records the change. Setting a relation ref also changes both related objects.</summary>
    public void Set(string className, string reference, string field, object value)
    {
        lock (SyncRoot)
        {
            var stored = Require(className, reference);
            if (!stored.Schema.FieldsByName.ContainsKey(field) || _relationsBySet.ContainsKey((className, field)))
            {
                throw new ArgumentException($"{className}.{field} cannot be stored", nameof(field));
            }

            if (_relationsByRef.TryGetValue((className, field), out var relation) && stored.Fields[field] is string oldTarget)
            {
                RemoveMember(relation, oldTarget, reference);
                Touch(oldTarget);
                if (value is string newTarget)
                {
                    AddMember(relation, newTarget, reference);
                    Touch(newTarget);
                }
            }

            stored.Fields[field] = XapiValues.Copy(value);
            stored.Modified = ++_generation;
            Signal();
        }
    }

    /// <summary>Changes a map or set field in place under the lock (the delegate gets the stored collection).</summary>
    public void Update<T>(string className, string reference, string field, Action<T> change)
        where T : class
    {
        lock (SyncRoot)
        {
            var stored = Require(className, reference);
            change((T)stored.Fields[field]);
            stored.Modified = ++_generation;
            Signal();
        }
    }

    /// <summary>Marks an object modified without changing it (what <c>event.inject</c> does).</summary>
    public void Touch(string reference)
    {
        lock (SyncRoot)
        {
            if (_byRef.TryGetValue(reference, out var stored))
            {
                stored.Modified = ++_generation;
                Signal();
            }
        }
    }

    /// <summary>
    /// Every change after generation <paramref name="since"/> for objects accepted by <paramref name="filter"/>
    /// (lower-case class, ref): <c>add</c> for objects created after it, <c>mod</c> for older ones changed since,
    /// <c>del</c> for objects that existed then and are gone now. Ordered by generation.
    /// </summary>
    public IReadOnlyList<ObjectChange> ChangesSince(long since, Func<string, string, bool> filter)
    {
        lock (SyncRoot)
        {
            var changes = new List<ObjectChange>();
            foreach (var stored in _byRef.Values)
            {
                if (stored.Modified > since && filter(stored.Schema.EventName, stored.Ref))
                {
                    changes.Add(new ObjectChange(stored.Schema.EventName, stored.Ref, stored.Created > since ? "add" : "mod", stored.Modified, BuildRecord(stored)));
                }
            }

            foreach (var deleted in _deleted)
            {
                var eventName = Model[deleted.ClassName].EventName;
                if (deleted.Deleted > since && deleted.Created <= since && filter(eventName, deleted.Ref))
                {
                    changes.Add(new ObjectChange(eventName, deleted.Ref, "del", deleted.Deleted, null));
                }
            }

            changes.Sort((a, b) => a.Generation.CompareTo(b.Generation));
            return changes;
        }
    }

    /// <summary>Completes when the generation moves past <paramref name="generation"/>, or when cancelled.</summary>
    public async Task WaitForChangeAsync(long generation, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (SyncRoot)
            {
                if (_generation > generation)
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal StoredObject Require(string className, string reference)
    {
        lock (SyncRoot)
        {
            if (_byRef.TryGetValue(reference, out var stored) && stored.Schema.Name == className)
            {
                return stored;
            }

            throw new XenApiFailure("HANDLE_INVALID", className, reference);
        }
    }

    private Dictionary<string, StoredObject> Table(string className)
    {
        if (!_tables.TryGetValue(className, out var table))
        {
            table = new Dictionary<string, StoredObject>(StringComparer.Ordinal);
            _tables[className] = table;
        }

        return table;
    }

    private Dictionary<string, object> BuildRecord(StoredObject stored)
    {
        var record = new Dictionary<string, object>(stored.Schema.Fields.Count, StringComparer.Ordinal);
        foreach (var field in stored.Schema.Fields)
        {
            record[field.Name] = _relationsBySet.TryGetValue((stored.Schema.Name, field.Name), out var relation)
                ? ComputeSet(relation, stored.Ref)
                : XapiValues.Copy(stored.Fields[field.Name]);
        }

        return record;
    }

    private List<object> ComputeSet(Relation relation, string reference)
        => _members[relation].TryGetValue(reference, out var members) ? [.. members] : [];

    private void AddMember(Relation relation, string target, string member)
    {
        if (target.Length == 0 || target == XapiValues.NullRef)
        {
            return;
        }

        var index = _members[relation];
        if (!index.TryGetValue(target, out var members))
        {
            members = [];
            index[target] = members;
        }

        members.Add(member);
    }

    private void RemoveMember(Relation relation, string target, string member)
    {
        var index = _members[relation];
        if (index.TryGetValue(target, out var members))
        {
            members.Remove(member);
            if (members.Count == 0)
            {
                index.Remove(target);
            }
        }
    }

    private void Signal()
    {
        var previous = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }
}
