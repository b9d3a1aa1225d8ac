namespace AsrBilling.Csv;

/// <summary>A read-only, forward-only stream over an inner stream; the base of the wrappers below.</summary>
internal abstract class ReadOnlyWrapperStream(Stream inner) : Stream
{
    protected Stream Inner { get; } = inner;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public abstract override int Read(Span<byte> buffer);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Whether disposing this stream disposes the inner one.</summary>
    protected virtual bool OwnsInner => true;

    protected override void Dispose(bool disposing)
    {
        if (disposing && OwnsInner)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>Reads at most a given number of bytes of the inner stream: one worker's byte range.</summary>
internal sealed class RangeStream(Stream inner, long length) : ReadOnlyWrapperStream(inner)
{
    private long _left = length;

    public override int Read(Span<byte> buffer)
    {
        if (_left <= 0)
        {
            return 0;
        }

        var read = Inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
        _left -= read;
        return read;
    }
}

/// <summary>Serves bytes already read (after the header line) before the rest of a one-pass stream.</summary>
internal sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner) : ReadOnlyWrapperStream(inner)
{
    private ReadOnlyMemory<byte> _prefix = prefix;

    public override int Read(Span<byte> buffer)
    {
        if (_prefix.IsEmpty)
        {
            return Inner.Read(buffer);
        }

        var count = Math.Min(buffer.Length, _prefix.Length);
        _prefix.Span[..count].CopyTo(buffer);
        _prefix = _prefix[count..];
        return count;
    }
}

/// <summary>Counts the bytes and the quote characters that pass, for progress and for checking splits.</summary>
internal sealed class CountingStream(Stream inner, ProgressCounter? progress) : ReadOnlyWrapperStream(inner)
{
    public long Quotes { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        var read = Inner.Read(buffer);
        Quotes += buffer[..read].Count((byte)'"');
        progress?.Add(read);
        return read;
    }
}

/// <summary>Adds up the bytes read by every thread and reports them to the caller's progress.</summary>
internal sealed class ProgressCounter(IProgress<UsageCsvProgress> progress, long? total)
{
    private long _done;

    /// <summary>A counter reporting to the caller's progress, or null when there is none.</summary>
    public static ProgressCounter? Start(IProgress<UsageCsvProgress>? progress, long? total) => progress is null ? null : new(progress, total);

    public void Add(long bytes) => progress.Report(new UsageCsvProgress(Interlocked.Add(ref _done, bytes), total));
}

/// <summary>A stream the caller owns: reading it through this wrapper never closes it.</summary>
internal sealed class LeaveOpenStream(Stream inner) : ReadOnlyWrapperStream(inner)
{
    protected override bool OwnsInner => false;

    public override int Read(Span<byte> buffer) => Inner.Read(buffer);
}
