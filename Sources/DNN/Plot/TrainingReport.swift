import Foundation

/// A training report as one self-contained HTML file: the settings, the model's shape table, the
/// cost curve, accuracy and confusion matrix for each data set, the decision boundary for
/// two-dimensional data, and for image data the mislabelled test pictures captioned as the
/// course's `print_mislabeled_images` does ("Prediction: cat / Class: non-cat"). Pictures are
/// embedded as PNG data and plots as inline SVG, so it opens from disk with no network.
public struct TrainingReport: Sendable {
    /// A labelled data set the model was measured on.
    public struct Measured: Sendable {
        /// The set's name, the heading of its section: "Training data", "Test data".
        public var name: String
        /// The examples, for the decision boundary and the mislabelled pictures.
        public var data: Dataset
        /// The model's figures on `data`, by its task.
        public var result: ModelEvaluation
        /// A classifier's accuracy, confusion matrix and per-class measures on `data`.
        public var evaluation: Evaluation? {
            if case .classification(let e) = result { return e }
            return nil
        }
        /// The set `data` named `name`, with a classifier's `evaluation` on it.
        public init(name: String, data: Dataset, evaluation: Evaluation) {
            self.init(name: name, data: data, result: .classification(evaluation))
        }
        /// The set `data` named `name`, with the model's `result` on it.
        public init(name: String, data: Dataset, result: ModelEvaluation) {
            self.name = name
            self.data = data
            self.result = result
        }
    }

    /// The report's heading and the page title.
    public var title: String
    /// The trained model: its shape table and the cost curve of its training.
    public var model: DeepNeuralNetwork
    /// Settings shown at the top, in order.
    public var settings: [(String, String)]
    /// The data sets, one section each, in order.
    public var measured: [Measured]

    /// A report of `model` under `title`, with `settings` and a section for each of `measured`.
    public init(title: String, model: DeepNeuralNetwork, settings: [(String, String)], measured: [Measured]) {
        self.title = title
        self.model = model
        self.settings = settings
        self.measured = measured
    }

    /// The whole report.
    public func html() throws -> String {
        var body = "<h1>\(escapeXML(title))</h1>\n"
        body += "<h2>Settings</h2>\n" + table(header: nil, rows: settings.map { [$0.0, $0.1] })
        body += "<h2>Model</h2>\n" + shapeTable()
        if let training = model.training, !training.costs.isEmpty {
            var runs = [CostCurvePlot.Run(label: "training", costs: training.passCosts)]
            if let validation = training.validationPassCosts {
                runs.append(.init(label: "validation", costs: validation))
            }
            let curve = CostCurvePlot(runs: runs, learningRate: training.learningRate)
            body += "<h2>Cost</h2>\n<figure>\(curve.svg())</figure>\n"
        }
        for set in measured {
            body += try section(set)
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(escapeXML(title))</title>
            <style>
            body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 980px; color: #222; }
            table { border-collapse: collapse; margin: 0.5em 0 1em; }
            td, th { border: 1px solid #ccc; padding: 4px 10px; text-align: left; }
            th { background: #f3f3f3; }
            figure { margin: 0.5em 0; }
            .pictures { display: flex; flex-wrap: wrap; gap: 12px; }
            .picture { text-align: center; font-size: 13px; }
            .picture img { width: 128px; height: 128px; image-rendering: pixelated; display: block; margin: auto; }
            </style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    private func shapeTable() -> String {
        let rows = model.shapeTable
        return table(header: rows[0], rows: Array(rows.dropFirst()))
    }

    private func section(_ set: Measured) throws -> String {
        switch set.result {
        case .classification(let e): return try classificationSection(set, e)
        case .regression(let e): return regressionSection(set.name, e)
        case .multilabel(let e):
            return "<h2>\(escapeXML(set.name))</h2>\n<p>" + e.summaryLines.map(escapeXML).joined(separator: "<br>")
                + "</p>\n" + table(header: e.perLabelTable[0], rows: Array(e.perLabelTable.dropFirst()))
        }
    }

    /// A regression's figures per target, and for each target its predicted-against-actual and
    /// residual plots.
    private func regressionSection(_ name: String, _ e: RegressionEvaluation) -> String {
        var html =
            "<h2>\(escapeXML(name))</h2>\n<p>" + e.summaryLines.map(escapeXML).joined(separator: "<br>") + "</p>\n"
        html += table(header: e.perTargetTable[0], rows: Array(e.perTargetTable.dropFirst()))
        for (k, target) in e.targetNames.enumerated() {
            let range = k * e.exampleCount..<(k + 1) * e.exampleCount
            let (actual, predicted) = (Array(e.actual.scalars[range]), Array(e.predictions.scalars[range]))
            html += "<figure>\(ScatterPlot.predictedAgainstActual(actual, predicted, target: target).svg())</figure>\n"
            html += "<figure>\(ScatterPlot.residuals(actual, predicted, target: target).svg())</figure>\n"
        }
        return html
    }

    private func classificationSection(_ set: Measured, _ e: Evaluation) throws -> String {
        var html = "<h2>\(escapeXML(set.name))</h2>\n"
        html += "<p>Accuracy: <b>\(e.accuracy)</b> (\(e.correctCount) of \(e.exampleCount) correct)</p>\n"
        html += "<p>" + e.summaryLines.dropFirst().map(escapeXML).joined(separator: "<br>") + "</p>\n"
        if let confusion = e.confusionTable {
            html += table(header: confusion[0], rows: Array(confusion.dropFirst()))
        } else {
            html += "<p>" + escapeXML(e.untabulatedConfusion) + "</p>\n"
        }
        let perClass = e.perClassTable
        html += table(header: perClass[0], rows: Array(perClass.dropFirst()))
        if set.data.featureCount == 2 && model.classNames.count <= DecisionBoundaryPlot.maximumClasses {
            let plot = try DecisionBoundaryPlot(
                model: model, X: set.data.X, Y: set.data.Y, title: "Decision boundary, \(set.name.lowercased())")
            html += "<figure>\(try plot.svg())</figure>\n"
        }
        if let shape = set.data.imageShape, shape.count == 3, shape[2] == 3, !e.mislabeled.isEmpty {
            html += "<h3>Mislabelled pictures (\(e.mislabeled.count))</h3>\n<div class=\"pictures\">\n"
            for index in e.mislabeled {
                html +=
                    "<div class=\"picture\">\(try picture(set.data, index, shape))"
                    + "Prediction: \(escapeXML(e.classNames[e.predictions[index]]))<br>"
                    + "Class: \(escapeXML(e.classNames[Int(set.data.Y.scalars[index])]))</div>\n"
            }
            html += "</div>\n"
        }
        return html
    }

    /// Example `index` of image data as an embedded PNG.
    private func picture(_ data: Dataset, _ index: Int, _ shape: [Int]) throws -> String {
        #if canImport(CSTB)
            let column = (0..<data.featureCount).map { data.features.value(feature: $0, example: index) }
            let png = RGBImage(column: column, shape: shape).pngData()
            return "<img alt=\"example \(index)\" src=\"data:image/png;base64,\(png.base64EncodedString())\">"
        #else
            throw DNNError("pictures in reports need stb (libstb-dev), which this build does not have")
        #endif
    }

    private func table(header: [String]?, rows: [[String]]) -> String {
        var html = "<table>\n"
        if let header { html += "<tr>" + header.map { "<th>\(escapeXML($0))</th>" }.joined() + "</tr>\n" }
        for row in rows { html += "<tr>" + row.map { "<td>\(escapeXML($0))</td>" }.joined() + "</tr>\n" }
        return html + "</table>\n"
    }
}
