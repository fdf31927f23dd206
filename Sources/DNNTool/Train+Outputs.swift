import DNN
import Foundation

extension Train {
    /// Makes every output the flags name, then writes them together: a failure leaves no file
    /// behind.
    func writeOutputs(
        _ model: DeepNeuralNetwork, _ sets: TrainingData, _ options: TrainingOptions, _ elapsed: Double,
        _ console: Console
    ) throws {
        let (trainSet, testSet, validationSet) = (sets.train, sets.test, sets.validation)
        // Everything is made first and written together: a failure leaves no file behind.
        let training = model.training!
        var files = OutputFiles()
        var written = [String]()
        if let log = outputs.log {
            files.add(costLog(training, csv: log.hasSuffix(".csv")), to: log)
            written.append("Cost log written to \(log).")
        }
        if let plot = outputs.plot {
            var runs = [CostCurvePlot.Run(label: "training", costs: training.passCosts)]
            if let validation = training.validationPassCosts {
                runs.append(.init(label: "validation", costs: validation))
            }
            let curve = CostCurvePlot(runs: runs, learningRate: options.learningRate)
            files.add(Data(curve.svg().utf8), to: plot)
            written.append("Cost curve written to \(plot).")
        }
        if let boundaryPlot = outputs.boundaryPlot {
            let svg = try DecisionBoundaryPlot(model: model, X: trainSet.X, Y: trainSet.Y).svg()
            files.add(Data(svg.utf8), to: boundaryPlot)
            written.append("Decision boundary written to \(boundaryPlot).")
        }
        if let report = outputs.report {
            var measured = [
                TrainingReport.Measured(
                    name: "Training data", data: trainSet, result: try ModelEvaluation(model: model, data: trainSet))
            ]
            for (name, set) in [("Validation data", validationSet), ("Test data", testSet)] {
                guard let set else { continue }
                measured.append(.init(name: name, data: set, result: try ModelEvaluation(model: model, data: set)))
            }
            let html = try TrainingReport(
                title: "Training report", model: model, settings: reportSettings(model, trainSet, options, elapsed),
                measured: measured
            ).html()
            files.add(Data(html.utf8), to: report)
            written.append("Report written to \(report).")
        }
        if let output = outputs.output {
            files.add(try model.fileData(), to: output)
            written.append("Model written to \(output).")
        }
        try files.commit()
        for line in written { console.line(line) }
    }

    /// The report's table of settings: the data, the network, the optimiser and how training went.
    private func reportSettings(
        _ model: DeepNeuralNetwork, _ trainSet: Dataset, _ options: TrainingOptions, _ elapsed: Double
    ) -> [(String, String)] {
        let training = model.training!
        let initialisation =
            model.initialization.map { "\($0.scheme.rawValue), seed \($0.seed)" } ?? "from \(resume ?? "parameters")"
        let validationSetting =
            heldOut.validation ?? heldOut.validationFraction.map { "\($0) of the training data" } ?? "none"
        let standardisation =
            model.standardization == nil ? "none" : "by the training data's mean and deviation"
        let batches = options.miniBatchSize.map(String.init) ?? "all examples (full batch)"
        var settings: [(String, String)] = [
            ("Training data", train ?? "built-in flower data (\(trainSet.exampleCount) points)"),
            ("Test data", heldOut.test ?? "none"), ("Validation", validationSetting), ("Layers", "\(model.layerSizes)"),
        ]
        settings += [
            ("Hidden activations", model.network.activations.map(\.name).joined(separator: ", ")),
            (
                "Output",
                "\(model.network.head.name), \(model.task.summary) (\(elided(model.task.names.joined(separator: ", "))))"
            ),
            (
                "Target standardisation",
                model.targetStandardization == nil ? "none" : "by the training targets' mean and deviation"
            ),
            ("Standardisation", standardisation), ("Optimizer", "\(options.optimizer)"),
            ("Learning rate", "\(options.learningRate)"), ("Learning-rate decay", "\(options.schedule)"),
        ]
        settings += [
            ("Mini-batch size", batches), ("L2 λ", "\(options.l2)"), ("Dropout keep_prob", "\(options.keepProb)"),
            (options.miniBatchSize == nil ? "Iterations" : "Epochs", "\(training.iterations)"),
            ("Initialisation", initialisation), ("Precision", options.precision.rawValue),
            ("Engine", training.path ?? training.engine!.rawValue),
            ("Training time", String(format: "%.2f s", elapsed)),
        ]
        if let earlyStopping = heldOut.earlyStopping {
            settings.append(("Early stopping", "after \(earlyStopping) passes without improvement"))
        }
        return settings
    }
}

/// The cost of every pass, and the validation cost when it was watched, as CSV
/// (`iteration,cost[,validation_cost]`) or JSON lines, at full precision.
func costLog(_ training: TrainingRecord, csv: Bool) -> Data {
    let costs = training.passCosts
    var validation = [Int: Double]()
    for record in training.validationPassCosts ?? [] { validation[record.iteration] = record.cost }
    let text: String
    if csv {
        let header = validation.isEmpty ? "iteration,cost\n" : "iteration,cost,validation_cost\n"
        text =
            header
            + costs.map { record in
                let extra = validation.isEmpty ? "" : "," + (validation[record.iteration].map { "\($0)" } ?? "")
                return "\(record.iteration),\(record.cost)\(extra)\n"
            }.joined()
    } else {
        // JSON has no inf or NaN: a saturated pass's cost is null there (CSV keeps "inf").
        func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }
        text = costs.map { record in
            let extra = validation[record.iteration].map { ",\"validation_cost\":\(number($0))" } ?? ""
            return "{\"iteration\":\(record.iteration),\"cost\":\(number(record.cost))\(extra)}\n"
        }.joined()
    }
    return Data(text.utf8)
}
