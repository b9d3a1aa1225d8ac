using System.Text;
using System.Text.Json;
using AsrBilling.Tests.Cli;
using FsCheck;
using FsCheck.Xunit;

namespace AsrBilling.Tests.Robustness;

/// <summary>
/// Random and mutated bytes fed to <c>bill</c>: the only outcomes are a bill (exit 0) or one clear
/// line on stderr (exit 1 or 2); nothing hangs, nothing else escapes, and with a rejects file every
/// row read is billed, ignored as a duplicate or rejected.
/// </summary>
public sealed class CsvFuzzTests : IDisposable
{
    private static readonly string Sample = CliRunner.Run("sample", "--records", "60", "--accounts", "3", "--days", "2", "--seed", "11").Out;
    private readonly string _dir = Directory.CreateTempSubdirectory("asr-billing-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Property(MaxTest = 150)]
    public void MutatedCsv_BillsOrFailsClearly(int seed, PositiveInt edits)
    {
        var random = new Random(seed);
        var bytes = Encoding.UTF8.GetBytes(Sample).ToList();
        for (var i = 0; i < (edits.Get % 12) + 1; i++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes.RemoveAt(at);
                    break;
                case 1:
                    bytes.Insert(at, (byte)",\n\"-.:Z0 x\r\u00e9"[random.Next(12)]);
                    break;
                case 2:
                    bytes[at] = (byte)random.Next(256);
                    break;
                default:
                    bytes.InsertRange(at, bytes.Skip(random.Next(bytes.Count)).Take(random.Next(1, 80)).ToList());
                    break;
            }
        }

        Check(bytes.ToArray());
    }

    [Property(MaxTest = 100)]
    public void RandomBytes_BillOrFailClearly(byte[] bytes) => Check(bytes ?? []);

    private void Check(byte[] input)
    {
        var file = Path.Combine(_dir, $"{Guid.NewGuid():N}.csv");
        var rejects = file + ".rejects";
        File.WriteAllBytes(file, input);

        var strict = RunWithin(["bill", file, "--format", "json"]);
        var lenient = RunWithin(["bill", file, "--format", "json", "--rejects", rejects, "--duplicates", "ignore"]);

        foreach (var (code, output, error) in new[] { strict, lenient })
        {
            code.Should().BeOneOf(0, 1, 2);
            if (code == 0)
            {
                using var json = JsonDocument.Parse(output);
                var rows = json.RootElement.GetProperty("rows");
                (rows.GetProperty("billed").GetInt64() + rows.GetProperty("duplicates").GetInt64() + rows.GetProperty("rejected").GetInt64())
                    .Should().Be(rows.GetProperty("read").GetInt64(), "no row is lost");
            }
            else
            {
                output.Should().BeEmpty();
                error.Should().StartWith("asr-billing: ");
            }
        }
    }

    private static (int Code, string Out, string Err) RunWithin(string[] args)
    {
        var run = Task.Run(() => CliRunner.Run(args));
        run.Wait(TimeSpan.FromSeconds(20)).Should().BeTrue("a run must not hang");
        return run.Result;
    }
}
