import Foundation
import Testing

@testable import DNN

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An attribute's value. (FoundationXML's `attribute(forName:)` finds nothing on elements in the
/// SVG namespace, so the attributes are searched by name.)
func attribute(_ node: XMLNode, _ name: String) -> String? {
    (node as? XMLElement)?.attributes?.first { $0.name == name }?.stringValue
}

@Suite("Plots and reports: valid documents that show the numbers")
struct PlotTests {
    /// The (iteration, cost) pairs a polyline draws, mapped back through the plot area's ranges.
    static func curve(_ svg: String) throws -> [[(Double, Double)]] {
        let document = try XMLDocument(xmlString: svg)
        let area = try document.nodes(forXPath: "//*[@class='plot-area']").first!
        func number(_ name: String) -> Double { Double(attribute(area, name)!)! }
        let (xMin, xMax, yMin, yMax) = (
            number("data-x-min"), number("data-x-max"), number("data-y-min"), number("data-y-max")
        )
        let (left, top, width, height) = (
            number("data-left"), number("data-top"), number("data-width"), number("data-height")
        )
        return try document.nodes(forXPath: "//*[@class='cost-curve']").map { node in
            let points = attribute(node, "points")!.split(separator: " ")
            return points.map { pair in
                let xy = pair.split(separator: ",").map { Double($0)! }
                return (xMin + (xy[0] - left) / width * (xMax - xMin), yMax - (xy[1] - top) / height * (yMax - yMin))
            }
        }
    }

    @Test("the cost curve is XML whose line follows the cost history")
    func costCurve() throws {
        let flower = Dataset.flower()
        var model = try DeepNeuralNetwork(layerSizes: [2, 6, 1], initialization: .he)
        let history = try model.train(flower.X, flower.Y, learningRate: 0.1, iterations: 1000)
        let svg = CostCurvePlot(runs: [.init(label: "run", costs: history)], learningRate: 0.1).svg()
        #expect(svg.contains("Learning rate =0.1"))
        let lines = try Self.curve(svg)
        #expect(lines.count == 1)
        let line = lines[0]
        #expect(line.count == history.count)
        // Coordinates carry two decimals over a ~330-pixel axis: 1e-4 of the range is well within.
        for (point, record) in [(line.first!, history.first!), (line.last!, history.last!)] {
            #expect(abs(point.0 - Double(record.iteration)) < 5)
            #expect(abs(point.1 - record.cost) < 1e-3)
        }
    }

    @Test("several runs get a line each and a legend")
    func comparison() throws {
        let a = [CostRecord(iteration: 0, cost: 0.7), CostRecord(iteration: 100, cost: 0.3)]
        let b = [CostRecord(iteration: 0, cost: 0.69), CostRecord(iteration: 100, cost: .infinity)]
        let svg = CostCurvePlot(
            runs: [.init(label: "α = 0.1", costs: a), .init(label: "α = 0.01", costs: b)], title: "Compare"
        ).svg()
        let lines = try Self.curve(svg)
        #expect(lines.count == 2)
        #expect(lines[1].count == 1, "an infinite cost is left out of the line")
        #expect(svg.contains(">α = 0.01</text>"))
    }

    @Test("the decision boundary shows both classes and every example")
    func boundary() throws {
        let flower = Dataset.flower()
        var model = try DeepNeuralNetwork(layerSizes: [2, 8, 1], initialization: .he)
        try model.train(flower.X, flower.Y, learningRate: 0.3, iterations: 300)
        let document = try XMLDocument(
            xmlString: try DecisionBoundaryPlot(model: model, X: flower.X, Y: flower.Y).svg())
        #expect(try document.nodes(forXPath: "//*[local-name()='circle']").count == 400)
        let fills = Set(try document.nodes(forXPath: "//*[@class='regions']/*").map { attribute($0, "fill")! })
        #expect(fills.count == 2)
        #expect(throws: DNNError("a decision boundary needs two features; the data has 3")) {
            try DecisionBoundaryPlot(model: model, X: .zeros(3, 2), Y: .zeros(1, 2))
        }
    }

    /// Three classes in the plane (three blobs): one region colour per class, the examples in
    /// their class's colour, a legend naming the classes; and the report's K×K confusion matrix.
    @Test("three classes: a colour and a legend entry each, and a 3×3 confusion matrix in the report")
    func threeClasses() throws {
        var rng = NumPyRandom(seed: 4)
        let centres = [(-3.0, 0.0), (3.0, 0.0), (0.0, 4.0)]
        var points = [Double](repeating: 0, count: 2 * 90), labels = [Double]()
        for i in 0..<90 {
            let c = i % 3
            points[i] = centres[c].0 + rng.randn(1, 1)[0, 0]
            points[90 + i] = centres[c].1 + rng.randn(1, 1)[0, 0]
            labels.append(Double(c))
        }
        let data = try Dataset(
            X: Matrix(rows: 2, cols: 90, scalars: points), Y: Matrix(rows: 1, cols: 90, scalars: labels),
            classNames: ["left", "right", "top"], source: "blobs")
        var model = try DeepNeuralNetwork(layerSizes: [2, 8, 3], initialization: .he, classNames: data.classNames)
        try model.train(data.X, data.Y, learningRate: 0.1, iterations: 300)
        #expect(try model.accuracy(data.X, data.Y) > 0.95)
        let document = try XMLDocument(xmlString: try DecisionBoundaryPlot(model: model, X: data.X, Y: data.Y).svg())
        let regions = Set(try document.nodes(forXPath: "//*[@class='regions']/*").map { attribute($0, "fill")! })
        #expect(regions.count == 3)
        let colours = Set(try document.nodes(forXPath: "//*[@class='examples']/*").map { attribute($0, "fill")! })
        #expect(colours.count == 3)
        let legend = try document.nodes(forXPath: "//*[@class='legend']/*[local-name()='text']").map(\.stringValue)
        #expect(legend == ["left", "right", "top"])
        let evaluation = try Evaluation(model: model, data: data)
        #expect(evaluation.confusionTable?.count == 4 && evaluation.confusionTable?[0].count == 4)
        let html = try TrainingReport(
            title: "Three classes", model: model, settings: [],
            measured: [.init(name: "Training data", data: data, evaluation: evaluation)]
        ).html()
        #expect(html.contains("predicted top") && html.contains("actual left") && html.contains("recall"))
    }

    /// Values near the largest doubles (a CSV of 1e308s) once crashed the axes' arithmetic.
    @Test("charts of values near ±1.8e308 are drawn, not a crash")
    func extremeValues() throws {
        let range = SVGChart.niceRange(-1.7e308...1.7e308)
        #expect(range.lowerBound.isFinite && range.upperBound.isFinite && range.lowerBound <= -1.7e308)
        // Where the model's own output overflows the plot is refused in one line, not a crash.
        let model = try DeepNeuralNetwork(layerSizes: [2, 3, 1])
        let X = Matrix([[-1.7e308, 1.7e308, 1e308], [1.5e308, -1e308, 0]])
        #expect(throws: DNNError("the model's output is NaN for this data: its parameters cannot predict")) {
            try DecisionBoundaryPlot(model: model, X: X, Y: Matrix([[0, 1, 0]])).svg()
        }
        let large = Matrix([[-1e150, 1e150, 3e149], [2e149, -1e150, 0]])
        let svg = try DecisionBoundaryPlot(model: model, X: large, Y: Matrix([[0, 1, 0]])).svg()
        #expect(try XMLDocument(xmlString: svg).rootElement() != nil)
        let curve = CostCurvePlot(
            runs: [
                .init(
                    label: "training",
                    costs: [CostRecord(iteration: 0, cost: 1.7e308), CostRecord(iteration: 1, cost: 1)])
            ],
            learningRate: 0.1)
        #expect(try XMLDocument(xmlString: curve.svg()).rootElement() != nil)
    }
}
