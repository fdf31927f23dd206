/// For two-dimensional data such as the flower set: the regions the model assigns to each class,
/// with the examples drawn over them, coloured by their label; a standalone SVG document.
public struct DecisionBoundaryPlot: Sendable {
    /// The model whose labels colour the regions.
    public var model: DeepNeuralNetwork
    /// The examples drawn, 2×m: x1 in row 0, x2 in row 1.
    public var X: Matrix
    /// Their labels, 1×m class indices, which colour the points.
    public var Y: Matrix
    /// The title above the plot.
    public var title: String

    /// Shapes: X is 2×m, Y is 1×m; the model takes two features.
    public init(model: DeepNeuralNetwork, X: Matrix, Y: Matrix, title: String = "Decision boundary") throws {
        guard X.rows == 2 else { throw DNNError("a decision boundary needs two features; the data has \(X.rows)") }
        guard model.task.kind == .classification else {
            throw DNNError(
                "a decision boundary is drawn for classes; this model is a \(model.task.kind.rawValue) model")
        }
        guard model.classNames.count <= Self.maximumClasses else {
            throw DNNError(
                "a decision boundary of \(model.classNames.count) classes is not drawn (more than \(Self.maximumClasses))"
            )
        }
        try model.checkInput(X)
        self.model = model
        self.X = X
        self.Y = Y
        self.title = title
    }

    /// The most classes a plot tells apart: beyond them its colours repeat, and the grid's
    /// 160×160 predictions of every class's probability grow past any use (100,000 classes:
    /// 2.6·10⁹ of them).
    public static let maximumClasses = 30

    /// Grid cells per axis at which the model is asked for its label.
    static let resolution = 160

    /// The SVG document: the model's label at each of 160×160 grid cells over the data's range widened by 1 on
    /// each side, the examples over it, and a legend for more than two classes. Throws when the model's output
    /// is NaN.
    public func svg() throws -> String {
        let xs = Array(X.scalars[0..<X.cols]), ys = Array(X.scalars[X.cols...])
        // As the course's plot_decision_boundary: the data's range widened by 1 on each side.
        let chart = SVGChart(
            xData: (xs.min()! - 1)...(xs.max()! + 1), yData: (ys.min()! - 1)...(ys.max()! + 1),
            title: title, xLabel: "x1", yLabel: "x2")
        let n = Self.resolution
        let (x0, x1) = (chart.xRange.lowerBound, chart.xRange.upperBound)
        let (y0, y1) = (chart.yRange.lowerBound, chart.yRange.upperBound)
        let cellWidth = (x1 - x0) / Double(n), cellHeight = (y1 - y0) / Double(n)
        var grid = [Double](repeating: 0, count: 2 * n * n)
        for row in 0..<n {
            for column in 0..<n {
                grid[row * n + column] = x0 + (Double(column) + 0.5) * cellWidth
                grid[n * n + row * n + column] = y0 + (Double(row) + 0.5) * cellHeight
            }
        }
        let labels = try model.predictedClasses(FeatureMatrix(Matrix(rows: 2, cols: n * n, scalars: grid)))
        let classes = model.classNames.count
        let (regionColors, pointColors) = Self.palette(classes)
        var marks = "<g class=\"regions\" shape-rendering=\"crispEdges\">\n"
        // One rectangle per run of equal labels along a row keeps the file small.
        for row in 0..<n {
            var start = 0
            for column in 1...n where column == n || labels[row * n + column] != labels[row * n + start] {
                let label = Int(labels[row * n + start])
                let left = chart.x(x0 + Double(start) * cellWidth), right = chart.x(x0 + Double(column) * cellWidth)
                let top = chart.y(y0 + Double(row + 1) * cellHeight), bottom = chart.y(y0 + Double(row) * cellHeight)
                marks +=
                    "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(right - left + 0.5))\" "
                    + "height=\"\(f(bottom - top + 0.5))\" fill=\"\(regionColors[label])\"/>\n"
                start = column
            }
        }
        marks += "</g>\n<g class=\"examples\" stroke=\"white\" stroke-width=\"0.5\">\n"
        for i in 0..<X.cols {
            marks +=
                "<circle cx=\"\(f(chart.x(xs[i])))\" cy=\"\(f(chart.y(ys[i])))\" r=\"3\" "
                + "fill=\"\(pointColors[Int(Y.scalars[i])])\"/>\n"
        }
        marks += "</g>\n"
        if classes > 2 { marks += legend(chart, pointColors) }
        return chart.document(marks: marks)
    }

    /// Light region colours and strong point colours, one pair per class: the course's red and
    /// blue for two classes, then a qualitative palette (ColorBrewer's Set1 and its pale twin).
    static func palette(_ classes: Int) -> (regions: [String], points: [String]) {
        if classes <= 2 { return (["#f8c9c3", "#c6dbef"], ["#d7301f", "#2166ac"]) }
        let points = [
            "#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a6761d", "#f781bf", "#666666", "#1b9e77",
            "#e7298a",
        ]
        let regions = [
            "#fbb4ae", "#b3cde3", "#ccebc5", "#decbe4", "#fed9a6", "#e5d8bd", "#fddaec", "#d9d9d9", "#b3e2cd",
            "#f4cae4",
        ]
        return (
            (0..<classes).map { regions[$0 % regions.count] }, (0..<classes).map { points[$0 % points.count] }
        )
    }

    /// A key in the top right corner: one coloured dot and name per class.
    private func legend(_ chart: SVGChart, _ colors: [String]) -> String {
        var svg = "<g class=\"legend\" font-size=\"11\">\n"
        for (c, name) in model.classNames.enumerated() {
            let y = 40.0 + 15 * Double(c)
            svg += "<circle cx=\"\(f(chart.width - 110))\" cy=\"\(f(y))\" r=\"4\" fill=\"\(colors[c])\"/>"
            svg += "<text x=\"\(f(chart.width - 100))\" y=\"\(f(y + 4))\">\(escapeXML(name))</text>\n"
        }
        return svg + "</g>\n"
    }
}
