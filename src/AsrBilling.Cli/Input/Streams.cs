namespace AsrBilling.Cli.Input;

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

    protected override void Dispose(bool disposing)
    {
        if (disposing)
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
internal sealed class CountingStream(Stream inner, Progress? progress) : ReadOnlyWrapperStream(inner)
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

/// <summary>
/// Progress on standard error while a large input is read: a line rewritten in place four times a
/// second. Never written to standard output.
/// </summary>
internal sealed class Progress(TextWriter error) : IDisposable
{
    private const long LargeInput = 64L << 20;
    private long _done;
    private long? _total;
    private Timer? _timer;

    public void Start(long? totalBytes)
    {
        _total = totalBytes;
        if (totalBytes is null or >= LargeInput)
        {
            _timer = new Timer(_ => Show(), null, 250, 250);
        }
    }

    public void Add(long bytes) => Interlocked.Add(ref _done, bytes);

    public void Stop()
    {
        if (_timer is null)
        {
            return;
        }

        _timer.Dispose();
        _timer = null;
        lock (error)
        {
            error.Write("\r\u001b[K");
            error.Flush();
        }
    }

    public void Dispose() => Stop();

    private void Show()
    {
        var done = Interlocked.Read(ref _done) >> 20;
        var text = _total is { } total && total > 0
            ? $"\rreading: {done} of {total >> 20} MB ({Interlocked.Read(ref _done) * 100 / total}%)"
            : $"\rreading: {done} MB";
        lock (error)
        {
            error.Write(text);
            error.Flush();
        }
    }
}
