using System.Globalization;
using System.Runtime.CompilerServices;
using Parquet;
using Parquet.Schema;

namespace AsrBilling.Parquet;

/// <summary>
/// One column's values in the row group being read: Parquet.Net's dense values (nulls left out) and
/// each row's place among them. Arrays are kept from one row group to the next.
/// </summary>
internal abstract class ParquetColumn(string name, DataField field)
{
    private int[] _definitions = [];

    // Each row's index into the values, or -1 for a null; not written where the column is dense (row i is value i).
    private int[] _index = [];
    private bool _dense;
    private int _rows;

    /// <summary>The column's name in the reader's words (<c>start</c>), whatever its case in the file.</summary>
    public string Name { get; } = name;

    public DataField Field { get; } = field;

    /// <summary>Reads the column's values in a row group; <paramref name="file"/> is the stream Parquet.Net reads, <paramref name="buffer"/> where a chunk's bytes are read (<see cref="ChunkBuffer"/>).</summary>
    public async ValueTask LoadAsync(ParquetRowGroupReader group, int rows, Stream file, ChunkBuffer? buffer = null)
    {
        Arrays.GrowUninitialized(ref _index, rows);
        _rows = rows;
        Decoded = group.GetMetadata(Field)?.MetaData is { } meta && Decodes(meta.Type) && Chunk.TryLoad(file, meta, Field.MaxDefinitionLevel, rows, _index, buffer);
        _dense = Decoded && Chunk.Dense;
        if (Decoded)
        {
            return;
        }

        // Only Parquet.Net fills values and levels. Always a buffer of levels: it asks for one for some required columns (decimals) too.
        Arrays.Grow(ref _definitions, rows);
        Grow(rows);
        await ReadAsync(group, rows, _definitions.AsMemory(0, rows)).ConfigureAwait(false);
        if (Field.MaxDefinitionLevel == 0)
        {
            for (var i = 0; i < rows; i++)
            {
                _index[i] = i;
            }

            return;
        }

        var max = Field.MaxDefinitionLevel;
        for (int i = 0, next = 0; i < rows; i++)
        {
            _index[i] = _definitions[i] == max ? next++ : -1;
        }
    }

    /// <summary>Makes room for the decoded pages of the column's largest chunk in the file, <paramref name="bytes"/> uncompressed (page headers included).</summary>
    public void Reserve(long bytes) => Chunk.Reserve(bytes);

    public bool IsNull(int row) => At(row) < 0;

    /// <summary>A row's value as text, for a reject or a message: a null is empty.</summary>
    public string Render(int row) => IsNull(row) ? string.Empty : RenderValue(At(row));

    /// <summary>Whether this package decoded the row group's chunk (<see cref="Chunk"/> holds it); else Parquet.Net read it.</summary>
    protected bool Decoded { get; private set; }

    /// <summary>Where this package decodes the column's chunks.</summary>
    protected abstract ColumnChunk Chunk { get; }

    /// <summary>Whether the row group's column has no nulls, as far as this package decoded it (row i is value i).</summary>
    protected bool IsDense => _dense;

    /// <summary>How many rows the row group has.</summary>
    protected int Rows => _rows;

    /// <summary>A row's index into the values, or -1 for a null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected int At(int row) => _dense ? row : _index[row];

    /// <summary>Makes room for the values of <paramref name="rows"/> rows, for Parquet.Net to read into.</summary>
    protected abstract void Grow(int rows);

    /// <summary>Whether chunks of this physical type are decoded by <see cref="Chunk"/> (else Parquet.Net reads them).</summary>
    protected virtual bool Decodes(global::Parquet.Meta.Type physical) => true;

    protected abstract ValueTask ReadAsync(ParquetRowGroupReader group, int rows, Memory<int>? definitions);

    protected abstract string RenderValue(int index);
}

/// <summary>A column of UTF-8 strings: decoded by <see cref="TextChunk"/> where it can, else by Parquet.Net.</summary>
internal sealed class TextColumn(string name, DataField field) : ParquetColumn(name, field)
{
    private readonly TextChunk _chunk = new();
    private ReadOnlyMemory<char>[] _values = [];

    /// <summary>A row's text; empty for a null.</summary>
    public ReadOnlySpan<char> Text(int row) => At(row) is var i and >= 0 ? Value(i) : default;

    /// <summary>How many texts the row group's dictionary holds, as far as <see cref="Code"/> gives them.</summary>
    public int DictionarySize => Decoded ? _chunk.DictionarySize : 0;

    /// <summary>Whether this package decoded the row group's chunk (<see cref="Utf8"/> answers).</summary>
    public bool IsDecoded => Decoded;

    /// <summary>Whether every row of the row group has a text of the chunk's dictionary: none is null or written in place.</summary>
    public bool EveryRowCoded => Decoded && IsDense && _chunk.PlainCount == 0;

    /// <summary>Whether every row of the row group has a text written in place (none is null or of a dictionary): row i's is <see cref="PlainUtf8"/>(i).</summary>
    public bool EveryRowPlain => Decoded && IsDense && _chunk.PlainCount == Rows;

    /// <summary>
    /// Writes the dictionary index of rows [<paramref name="first"/>, <paramref name="first"/> + <paramref name="rows"/>) of a column
    /// (<see cref="Code"/>: -1 for none) to every third place of <paramref name="codes"/> from <paramref name="offset"/>; a column that
    /// is all dictionary texts, or none, without a row's place.
    /// </summary>
    public static void WriteCodes(TextColumn? column, Span<int> codes, int offset, int first, int rows)
    {
        if (column is null || !column.Decoded || column.EveryRowPlain)
        {
            for (var i = 0; i < rows; i++)
            {
                codes[(3 * i) + offset] = -1;
            }
        }
        else if (column.EveryRowCoded)
        {
            var coded = column._chunk.Codes(first, rows);
            for (var i = 0; i < coded.Length; i++)
            {
                codes[(3 * i) + offset] = coded[i];
            }
        }
        else
        {
            for (var i = 0; i < rows; i++)
            {
                codes[(3 * i) + offset] = column.Code(first + i);
            }
        }
    }

    /// <summary>A row's text as the file holds it, where <see cref="EveryRowPlain"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> PlainUtf8(int row) => _chunk.PlainUtf8(row);

    /// <summary>Whether every text of the row group's chunk is ASCII, so valid UTF-8, where this package decoded it: a text need not be checked on its own.</summary>
    public bool IsAscii => Decoded && _chunk.IsAscii;

    /// <summary>A row's text as the file holds it (UTF-8), where this package decoded the chunk; empty for a null.</summary>
    public ReadOnlySpan<byte> Utf8(int row) => At(row) is var i and >= 0 ? _chunk.Utf8(i) : default;

    /// <summary>The UTF-8 bytes of a text of the row group's dictionary, by its index (<see cref="Code"/>).</summary>
    public ReadOnlySpan<byte> DictionaryUtf8(int code) => _chunk.DictionaryUtf8(code);

    /// <summary>A row's index in the row group's dictionary; -1 for a null, a text written in place, or a column Parquet.Net read.</summary>
    public int Code(int row) => Decoded && At(row) is var i and >= 0 ? _chunk.Code(i) : -1;

    /// <summary>Where a row's text is held, in a column Parquet.Net read; no holder for a null or a text held otherwise.</summary>
    public TextSource SourceOf(int row) =>
        !Decoded && At(row) is var i and >= 0 && System.Runtime.InteropServices.MemoryMarshal.TryGetArray(_values[i], out var held) ? new TextSource(held.Array, held.Offset, held.Count) : default;

    protected override ColumnChunk Chunk => _chunk;

    protected override void Grow(int rows) => Arrays.Grow(ref _values, rows);

    protected override ValueTask ReadAsync(ParquetRowGroupReader group, int rows, Memory<int>? definitions) =>
        group.ReadRawAsync(Field, _values.AsMemory(0, rows), definitions, null);

    protected override string RenderValue(int index) => Value(index).ToString();

    private ReadOnlySpan<char> Value(int index) => Decoded ? _chunk.Text(index) : _values[index].Span;
}

/// <summary>A column of numbers or timestamps, as Parquet.Net gives them.</summary>
internal sealed class ValueColumn<T>(string name, DataField field) : ParquetColumn(name, field)
    where T : struct
{
    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;

    private readonly NumberChunk _chunk = new();
    private T[] _values = [];

    /// <summary>Ticks in one unit of a timestamp column this package decodes (milliseconds or microseconds); else 0.</summary>
    public long TicksPerUnit { get; } = field is DateTimeDataField { DateTimeFormat: DateTimeFormat.Timestamp, Unit: var unit } && typeof(T) == typeof(DateTime)
        ? unit switch { DateTimeTimeUnit.Millis => TimeSpan.TicksPerMillisecond, DateTimeTimeUnit.Micros => 10, _ => 0 }
        : 0;

    /// <summary>The scale of a decimal column; -1 for other columns.</summary>
    public int Scale { get; } = field is DecimalDataField decimals && typeof(T) == typeof(decimal) ? decimals.Scale : -1;

    public T Value(int row) => ValueAt(At(row));

    /// <summary>Rows [<paramref name="first"/>, <paramref name="first"/> + <paramref name="rows"/>) as the file holds them, where this package decoded a column without nulls; else empty.</summary>
    public ReadOnlySpan<long> DenseRaws(int first, int rows) => Decoded && IsDense ? _chunk.Raws(first, rows) : default;

    /// <summary>A row's value as the file holds it (a decimal unscaled, a timestamp in its unit), where this package decoded the column and the row is not null.</summary>
    public bool TryRaw(int row, out long raw)
    {
        var i = Decoded ? At(row) : -1;
        raw = i >= 0 ? _chunk.Raw(i) : 0;
        return i >= 0;
    }

    protected override ColumnChunk Chunk => _chunk;

    protected override void Grow(int rows) => Arrays.Grow(ref _values, rows);

    protected override ValueTask ReadAsync(ParquetRowGroupReader group, int rows, Memory<int>? definitions) =>
        group.ReadRawAsync(Field, _values.AsMemory(0, rows), definitions, null);

    /// <summary>Whether values of this physical type become this column's values here exactly as Parquet.Net makes them.</summary>
    protected override bool Decodes(global::Parquet.Meta.Type physical) => (physical, default(T)) switch
    {
        (global::Parquet.Meta.Type.INT64, DateTime) => TicksPerUnit > 0,
        (global::Parquet.Meta.Type.INT64 or global::Parquet.Meta.Type.INT32, decimal) => Scale is >= 0 and <= 18,
        (global::Parquet.Meta.Type.INT64, long) or (global::Parquet.Meta.Type.INT32, int) => true,
        (global::Parquet.Meta.Type.DOUBLE, double) or (global::Parquet.Meta.Type.FLOAT, float) => true,
        _ => false,
    };

    private T ValueAt(int index)
    {
        if (!Decoded)
        {
            return _values[index];
        }

        var raw = _chunk.Raw(index);
        if (typeof(T) == typeof(DateTime))
        {
            return (T)(object)new DateTime(checked(UnixEpochTicks + (raw * TicksPerUnit)), DateTimeKind.Utc);
        }

        if (typeof(T) == typeof(decimal))
        {
            var magnitude = raw < 0 ? (ulong)(-(raw + 1)) + 1 : (ulong)raw;
            return (T)(object)new decimal(unchecked((int)(uint)magnitude), unchecked((int)(uint)(magnitude >> 32)), 0, raw < 0, (byte)Scale);
        }

        return typeof(T) == typeof(long) ? (T)(object)raw
            : typeof(T) == typeof(int) ? (T)(object)(int)raw
            : typeof(T) == typeof(double) ? (T)(object)BitConverter.Int64BitsToDouble(raw)
            : (T)(object)BitConverter.Int32BitsToSingle((int)raw);
    }

    protected override string RenderValue(int index) => ValueAt(index) switch
    {
        DateTime date when Field is DateTimeDataField { DateTimeFormat: DateTimeFormat.Date } => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime time => time.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        float number => number.ToString("R", CultureInfo.InvariantCulture),
        IFormattable value => value.ToString(null, CultureInfo.InvariantCulture),
        var value => value.ToString() ?? string.Empty,
    };
}
