namespace VmBackup.Formats.XmlRpc;

/// <summary>The XML-RPC value types used by XAPI (and by ova.xml).</summary>
public enum XmlRpcKind
{
    /// <summary>String, enum or reference; written bare (<c>&lt;value&gt;text&lt;/value&gt;</c>). XAPI also writes int64 this way.</summary>
    String,

    /// <summary>A tagged integer (<c>&lt;i4&gt;</c>, <c>&lt;int&gt;</c> or <c>&lt;i8&gt;</c>); written as <c>&lt;i4&gt;</c>.</summary>
    Int,

    /// <summary><c>&lt;boolean&gt;1/0&lt;/boolean&gt;</c>.</summary>
    Boolean,

    /// <summary><c>&lt;double&gt;</c> with 16 significant digits.</summary>
    Double,

    /// <summary><c>&lt;dateTime.iso8601&gt;YYYYMMDDTHH:MM:SSZ&lt;/dateTime.iso8601&gt;</c>, UTC.</summary>
    DateTime,

    /// <summary><c>&lt;array&gt;&lt;data&gt;…</c>.</summary>
    Array,

    /// <summary><c>&lt;struct&gt;</c> with ordered members.</summary>
    Struct,
}
