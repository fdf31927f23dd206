/// The cost against the iteration, as the course plots it ("Learning rate =0.0075"), one line per
/// run with a legend when runs are compared; a standalone SVG document.
public struct CostCurvePlot: Sendable {
    /// One run: its name in the legend and its reported costs.
    public struct Run: Sendable {
        /// The run's name in the legend.
        public var label: String
        /// The costs to draw, each at its pass; those that are not finite are left out.
        public var costs: [CostRecord]
        /// A run named `label` with `costs`.
        public init(label: String, costs: [CostRecord]) {
            self.label = label
            self.costs = costs
        }
    }

    /// The title above the plot.
    public var title: String
    /// The runs, one line each, in the colours' order.
    public var runs: [Run]

    /// The course's title for one learning rate: "Learning rate =0.0075".
    public init(runs: [Run], learningRate: Double) {
        self.init(runs: runs, title: "Learning rate =\(learningRate)")
    }

    /// A plot of `runs` under `title`; stops with a message when there are no runs.
    public init(runs: [Run], title: String) {
        requireValid(!runs.isEmpty, "CostCurvePlot: no runs to plot")
        self.runs = runs
        self.title = title
    }

    static let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]

    /// The SVG document. Costs that are not finite (a saturated output gives inf) are left out,
    /// and a note under the title says how many.
    public func svg() -> String {
        let points = runs.flatMap { $0.costs.filter { $0.cost.isFinite } }
        let iterations = points.map { Double($0.iteration) }
        let costs = points.map(\.cost)
        let chart = SVGChart(
            xData: (iterations.min() ?? 0)...(iterations.max() ?? 1),
            yData: min(0, costs.min() ?? 0)...(costs.max() ?? 1),
            title: title, xLabel: "iteration", yLabel: "cost")
        var marks = ""
        for (index, run) in runs.enumerated() {
            let coordinates = run.costs.filter { $0.cost.isFinite }
                .map { "\(f(chart.x(Double($0.iteration)))),\(f(chart.y($0.cost)))" }
            marks +=
                "<polyline class=\"cost-curve\" data-label=\"\(escapeXML(run.label))\" fill=\"none\" "
                + "stroke=\"\(Self.colors[index % Self.colors.count])\" stroke-width=\"2\" "
                + "points=\"\(coordinates.joined(separator: " "))\"/>\n"
        }
        if runs.count > 1 {
            for (index, run) in runs.enumerated() {
                let y = chart.top + 16 + Double(index) * 18
                let x = chart.left + chart.areaWidth - 150
                marks +=
                    "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + 22))\" y2=\"\(f(y))\" "
                    + "stroke=\"\(Self.colors[index % Self.colors.count])\" stroke-width=\"2\"/>"
                    + "<text x=\"\(f(x + 28))\" y=\"\(f(y + 4))\" fill=\"#333\">\(escapeXML(run.label))</text>\n"
            }
        }
        let left = runs.reduce(0) { $0 + $1.costs.filter { !$0.cost.isFinite }.count }
        if left > 0 {
            marks +=
                "<text class=\"not-drawn\" x=\"\(f(chart.left + chart.areaWidth / 2))\" y=\"\(f(chart.top - 6))\" "
                + "text-anchor=\"middle\" fill=\"#b22\" font-size=\"11\">\(left) of the costs are infinite "
                + "(a saturated wrong output) and are not drawn</text>\n"
        }
        return chart.document(marks: marks)
    }
}
