/// For two-dimensional data such as the flower set: the regions the model assigns to each class,
/// with the examples drawn over them, coloured by their label; a standalone SVG document.
public struct DecisionBoundaryPlot: Sendable {
    public var model: DeepNeuralNetwork
    public var X: Matrix
    public var Y: Matrix
    public var title: String

    /// Shapes: X is 2×m, Y is 1×m; the model takes two features.
    public init(model: DeepNeuralNetwork, X: Matrix, Y: Matrix, title: String = "Decision boundary") throws {
        guard X.rows == 2 else { throw DNNError("a decision boundary needs two features; the data has \(X.rows)") }
        try model.checkInput(X)
        self.model = model
        self.X = X
        self.Y = Y
        self.title = title
    }

    /// Grid cells per axis at which the model is asked for its label.
    static let resolution = 160

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
        let labels = try model.predict(Matrix(rows: 2, cols: n * n, scalars: grid)).labels.scalars
        let regionColors = ["#f8c9c3", "#c6dbef"], pointColors = ["#d7301f", "#2166ac"]
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
        return chart.document(marks: marks + "</g>\n")
    }
}
