import ArgumentParser
import DNN
import Foundation

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe a model (its layers, task and shape table), or a data file's columns.")

    @Option(help: "The model file (written by `dnn train --output`).")
    var model: String?

    @Option(help: "A data file (.csv, .tsv, .gz) whose columns to describe: their roles, types and missing cells.")
    var data: String?

    @OptionGroup var dataOptions: DataOptions

    @Flag(help: "Print the description as one JSON object.")
    var json = false

    func validate() throws {
        guard (model == nil) != (data == nil) else { throw ValidationError("give either --model FILE or --data FILE") }
    }

    func run() throws {
        if let data { return try describe(data) }
        let model = self.model!
        if json {
            let network = try DeepNeuralNetwork(contentsOf: model)
            FileHandle.standardOutput.write(try Self.json(network) + Data("\n".utf8))
            return
        }
        let network = try DeepNeuralNetwork(contentsOf: model)
        let sizes = network.layerSizes
        print("Model \(model)")
        print("  layers: \(sizes)  (L = \(network.layerCount))")
        print(
            "  network: hidden activations \(network.network.activations.map(\.name)), output \(network.network.head.name)"
        )
        let normalized = network.network.hidden.enumerated().compactMap { index, layer in
            layer.batchNorm.map { "layer \(index + 1) (ε \($0.epsilon), momentum \($0.momentum))" }
        }
        if !normalized.isEmpty { print("  batch normalisation: \(normalized.joined(separator: ", "))") }
        let names = network.task.names.enumerated().map { "\($0.offset) = \($0.element)" }.joined(separator: ", ")
        print("  task: \(network.task.kind.rawValue), \(network.task.summary): \(names)")
        if let columns = network.targetColumns { print("  target columns: \(columns.joined(separator: ", "))") }
        if let pipeline = network.preprocessing {
            print("  preprocessing of the raw columns:")
            for line in Self.pipelineLines(pipeline) { print(line) }
        }
        if let shape = network.inputShape {
            print("  input: images of \(shape.map(String.init).joined(separator: "x"))")
        }
        if let initialization = network.initialization {
            print("  initialization: \(initialization.scheme.rawValue), seed \(initialization.seed)")
        }
        if let training = network.training {
            let last = training.costs.last.map { String(format: ", last reported cost %f", $0.cost) } ?? ""
            let unit = training.miniBatchSize.map { "epochs of mini-batches of \($0)" } ?? "iterations"
            print(
                "  trained: \(training.iterations) \(unit) at learning rate \(training.learningRate), \(training.precision.rawValue)\(last)"
            )
            print("  optimizer: \(training.optimizer ?? .gradientDescent)")
            if let schedule = training.schedule { print("  learning-rate decay: \(schedule)") }
            if let l2 = training.l2, l2 > 0 { print("  L2 λ: \(l2)") }
            if let keep = training.keepProb, keep < 1 { print("  dropout keep_prob: \(keep)") }
        }
        print("")
        printTable(network.shapeTable)
    }
}

extension Info {
    /// The columns of a data file as `train` would take them: each one's role, type, missing
    /// cells and values.
    func describe(_ path: String) throws {
        let started = Date()
        let settings = dataOptions.table.settings
        let table = try Table.read(path, delimiter: settings.delimiter, decimal: settings.decimal)
        let elapsed = Date().timeIntervalSince(started)
        let delimiter =
            table.dialect.delimiter == UInt8(ascii: "\t") ? "tab" : String(UnicodeScalar(table.dialect.delimiter))
        let roles = try table.roles(dataOptions.csvColumns(like: nil))
        if json {
            let columns: [[String: Any]] = roles.enumerated().map { j, role in
                let (name, kind) = Self.role(role, table.columns[j])
                return [
                    "name": table.names[j], "role": name, "type": kind.rawValue,
                    "missing": table.columns[j].missingCount,
                ]
            }
            let object: [String: Any] = [
                "file": path, "rows": table.rowCount, "delimiter": delimiter, "seconds": elapsed, "columns": columns,
            ]
            FileHandle.standardOutput.write(
                try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) + Data("\n".utf8))
            return
        }
        print(
            "Data \(path): \(table.rowCount) rows, \(table.names.count) columns, delimiter '\(delimiter)' "
                + "(read in \(String(format: "%.3f", elapsed)) s)")
        var rows = [["column", "role", "type", "missing", "values"]]
        for (j, role) in roles.enumerated() {
            let column = table.columns[j]
            let (roleName, kind) = Self.role(role, column)
            rows.append([
                table.names[j].isEmpty ? "(no name)" : table.names[j], roleName, kind.rawValue,
                "\(column.missingCount)",
                Self.summary(column),
            ])
        }
        printTable(rows)
    }

    /// A role's name and the type it gives the column.
    static func role(_ role: ColumnRole, _ column: TableColumn) -> (String, ColumnKind) {
        switch role {
        case .target: ("target", column.kind)
        case .identifier: ("identifier (--id-column)", column.kind)
        case .ignored: ("ignored", column.kind)
        case .feature(let kind): ("feature", kind)
        case .leftOut(let reason): ("left out: " + reason.components(separatedBy: " (")[0], column.kind)
        }
    }

    /// A model as one JSON object: its layers, activations, loss, task, columns, preprocessing
    /// (as the model file writes it) and how it was trained.
    static func json(_ network: DeepNeuralNetwork) throws -> Data {
        var object: [String: Any] = [
            "layers": network.layerSizes, "activations": network.network.activations.map(\.name),
            "loss": network.network.head.name,
            "task": ["kind": network.task.kind.rawValue, "names": network.task.names],
            "parameters": network.parameterCount,
        ]
        if network.network.hasBatchNorm {
            object["batch_norm"] = network.network.normalizations.map { settings -> Any in
                settings.map { ["epsilon": $0.epsilon, "momentum": $0.momentum] } ?? NSNull()
            }
        }
        if let names = network.featureNames { object["feature_names"] = names }
        if let columns = network.targetColumns { object["target_columns"] = columns }
        if let pipeline = network.preprocessing {
            object["preprocessing"] = try JSONSerialization.jsonObject(with: JSONEncoder().encode(pipeline))
        }
        if let training = network.training {
            object["training"] = [
                "passes": training.iterations, "learning_rate": training.learningRate,
                "optimizer": "\(training.optimizer ?? .gradientDescent)", "precision": training.precision.rawValue,
                "mini_batch_size": training.miniBatchSize.map { $0 as Any } ?? NSNull(),
            ]
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    /// The range of a column of numbers, or the number of distinct texts and the first few.
    static func summary(_ column: TableColumn) -> String {
        switch column {
        case .numbers(let values):
            let present = values.filter { !$0.isNaN }
            guard let low = present.min(), let high = present.max() else { return "-" }
            return "\(TableColumnName.of(low)) … \(TableColumnName.of(high))"
        case .text(_, let values):
            let shown = values.sorted().prefix(4).joined(separator: ", ")
            return "\(values.count) distinct: \(elided(shown, limit: 40))\(values.count > 4 ? ", …" : "")"
        }
    }

    /// The preprocessing a model applies to raw columns, one line per column.
    static func pipelineLines(_ pipeline: TabularPipeline) -> [String] {
        pipeline.columns.map { encoder in
            var text = "    \(encoder.name): \(encoder.kind.rawValue)"
            switch encoder.kind {
            case .numeric: text += ", missing → \(encoder.fill.map(TableColumnName.of) ?? "-")"
            case .boolean:
                text +=
                    " (\(encoder.yes ?? "")/\(encoder.no ?? "")), missing → \(encoder.fill == 1 ? encoder.yes ?? "" : encoder.no ?? "")"
            case .categorical:
                let categories = (encoder.categories ?? []) + (encoder.other == true ? [ColumnEncoder.otherName] : [])
                text +=
                    " (\(categories.count): \(elided(categories.joined(separator: ", "), limit: 60))), missing → \(encoder.fillText ?? "-")"
            case .date: text += " → year, month, day, weekday; missing → \(encoder.fillText ?? "-")"
            case .identifier: break
            }
            return text + (encoder.indicator ? "; with a missing indicator" : "")
        }
    }
}

/// Prints rows as columns aligned on the widest cell, the first row as the header.
func printTable(_ rows: [[String]]) {
    let rows = rows.map { $0.map(terminalSafe) }
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max()! }
    for (index, row) in rows.enumerated() {
        print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
        if index == 0 { print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
    }
    // Lines written straight to the file descriptor (Console's) must come after these.
    fflush(nil)
}
