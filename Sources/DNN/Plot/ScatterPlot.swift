import Foundation

/// Points (x, y) as an SVG scatter plot, with an optional reference line: a regression's predicted
/// values against the actual ones (the line y = x), or its residuals against the predictions (the
/// line y = 0). Points that are not finite are left out.
public struct ScatterPlot: Sendable {
    /// The points' horizontal values.
    public var x: [Double]
    /// The points' vertical values.
    public var y: [Double]
    /// The heading above the plot.
    public var title: String
    /// The axes' names.
    public var xLabel: String, yLabel: String
    /// A line drawn under the points: y = slope·x + intercept, across the plot.
    public var line: (slope: Double, intercept: Double)?

    /// A plot of the points (x[i], y[i]).
    public init(
        x: [Double], y: [Double], title: String, xLabel: String, yLabel: String,
        line: (slope: Double, intercept: Double)? = nil
    ) {
        (self.x, self.y, self.title, self.xLabel, self.yLabel, self.line) = (x, y, title, xLabel, yLabel, line)
    }

    /// Predicted against actual values, with the line of perfect predictions.
    public static func predictedAgainstActual(_ actual: [Double], _ predicted: [Double], target: String) -> ScatterPlot
    {
        ScatterPlot(
            x: actual, y: predicted, title: "Predicted against actual, \(target)", xLabel: "actual",
            yLabel: "predicted", line: (1, 0))
    }

    /// Residuals (actual − predicted) against the predictions, with the line of no error.
    public static func residuals(_ actual: [Double], _ predicted: [Double], target: String) -> ScatterPlot {
        ScatterPlot(
            x: predicted, y: zip(actual, predicted).map { $0 - $1 }, title: "Residuals, \(target)",
            xLabel: "predicted", yLabel: "actual − predicted", line: (0, 0))
    }

    /// The SVG document.
    public func svg() -> String {
        let points = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
        let xs = points.map(\.0), ys = points.map(\.1)
        var yData = (ys.min() ?? 0)...(ys.max() ?? 1)
        if line?.slope == 1 { yData = min(yData.lowerBound, xs.min() ?? 0)...max(yData.upperBound, xs.max() ?? 1) }
        let chart = SVGChart(
            xData: (xs.min() ?? 0)...(xs.max() ?? 1), yData: yData, title: title, xLabel: xLabel, yLabel: yLabel)
        var marks = ""
        if let line {
            let (x0, x1) = (chart.xRange.lowerBound, chart.xRange.upperBound)
            let (y0, y1) = (line.slope * x0 + line.intercept, line.slope * x1 + line.intercept)
            if y0.isFinite && y1.isFinite {
                marks +=
                    "<line class=\"reference\" x1=\"\(f(chart.x(x0)))\" y1=\"\(f(chart.y(y0)))\" x2=\"\(f(chart.x(x1)))\" "
                    + "y2=\"\(f(chart.y(y1)))\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n"
            }
        }
        for (a, b) in points {
            marks +=
                "<circle class=\"point\" cx=\"\(f(chart.x(a)))\" cy=\"\(f(chart.y(b)))\" r=\"2.5\" "
                + "fill=\"#1f77b4\" fill-opacity=\"0.6\"/>\n"
        }
        return chart.document(marks: marks)
    }
}
