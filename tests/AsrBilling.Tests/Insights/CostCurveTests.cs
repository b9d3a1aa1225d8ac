using System.Xml.Linq;
using AsrBilling.Cli.Output;
using AsrBilling.Tests.Cli;

namespace AsrBilling.Tests.Insights;

public sealed class CostCurveTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("asr-billing-curve-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Points_RealTime_DropAtEveryThreshold()
    {
        // From the price list: 300 × 1.4 = 420 then 300 × 1.2 = 360; 1000 × 1.2 = 1200 then 1000;
        // 3000 × 1 = 3000 then 3000 × 0.86 = 2580; 5000 × 0.86 = 4300 then 5000 × 0.7 = 3500; 6000 × 0.7 = 4200.
        var points = CostCurve.Points(PriceBook.TencentCloudInternational.GetLatestTable(AsrService.RealTime), 6000m);

        points.Should().Equal(
            (0m, 0m), (300m, 420m), (300m, 360m), (1000m, 1200m), (1000m, 1000m), (3000m, 3000m),
            (3000m, 2580m), (5000m, 4300m), (5000m, 3500m), (6000m, 4200m));
    }

    [Fact]
    public void Cli_Curve_WritesAnSvgWithOneSeriesPerService()
    {
        var file = Path.Combine(_dir, "curve.svg");

        var (code, _, error) = CliRunner.Run("curve", "real-time", "recording-file", "--to", "2000", "--output", file);

        code.Should().Be(0, error);
        var svg = XDocument.Load(file);
        XNamespace ns = "http://www.w3.org/2000/svg";
        svg.Root!.Name.Should().Be(ns + "svg");
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        texts.Should().Contain("real-time").And.Contain("recording-file");
        // Two series drawn as polylines, each with its 8 corners up to 2000 h (clipped at the axis).
        svg.Descendants(ns + "polyline").Count(p => ((string?)p.Attribute("points") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 6)
            .Should().BeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public void Cli_Curve_BadInput()
    {
        CliRunner.Run("curve", "real-time", "--to", "-5").Err.Should().Contain("--to: '-5' is not a number of hours above 0");
        CliRunner.Run("curve", "speech").Err.Should().Contain("unknown service id 'speech'");
    }
}
