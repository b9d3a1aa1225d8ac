using AsrBilling.Csv;

namespace AsrBilling.Cli.Output;

/// <summary>
/// Progress on standard error while a large input is read: a line rewritten in place four times a
/// second. Never written to standard output.
/// </summary>
internal sealed class ProgressLine(TextWriter error) : IProgress<UsageCsvProgress>, IDisposable
{
    private const long LargeInput = 64L << 20;
    private readonly Lock _gate = new();
    private UsageCsvProgress _last;
    private Timer? _timer;
    private bool _stopped;

    public void Report(UsageCsvProgress value)
    {
        lock (_gate)
        {
            if (_stopped || value.BytesRead < _last.BytesRead)
            {
                return;
            }

            _last = value;
            if (_timer is null && value.TotalBytes is null or >= LargeInput)
            {
                _timer = new Timer(_ => Show(), null, 250, 250);
            }
        }
    }

    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            if (_timer is null)
            {
                return;
            }

            _timer.Dispose();
            _timer = null;
            error.Write("\r\u001b[K");
            error.Flush();
        }
    }

    public void Dispose() => Stop();

    private void Show()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            var (done, total) = (_last.BytesRead, _last.TotalBytes);
            error.Write(total is { } t && t > 0
                ? $"\rreading: {done >> 20} of {t >> 20} MB ({done * 100 / t}%)"
                : $"\rreading: {done >> 20} MB");
            error.Flush();
        }
    }
}
