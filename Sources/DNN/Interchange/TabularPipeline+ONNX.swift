import Foundation

extension TabularPipeline {
    /// Writes the pipeline into `builder` as ONNX nodes that make `output` ([N, features]) from
    /// the raw columns, and returns the graph's inputs and a JSON description of them:
    ///
    /// - `numbers` [N, k]: the numeric columns, in the pipeline's order, NaN where missing:
    ///   IsNaN, then Where(missing, median, value), and Cast(IsNaN) for an indicator;
    /// - one string tensor [N, 1] per categorical or boolean column, named by it, the cells as
    ///   the file writes them: ai.onnx.ml's LabelEncoder maps each to its category's number (a
    ///   missing word to the most frequent one's; any other to "(other)", or −1), OneHotEncoder
    ///   makes its 0/1 features (all zeros for −1); a boolean's words map to 1 and 0 (in lower,
    ///   upper or capitalised case), anything else to the fill.
    ///
    /// Concat joins the columns' features in order. Dates are not exported (no ONNX operator
    /// reads a date from text): such a model is refused.
    func onnxInputs(_ builder: inout ONNXGraphBuilder, output: String) throws -> (
        inputs: [Onnx_ValueInfoProto], description: String
    ) {
        if let date = columns.first(where: { $0.kind == .date }) {
            throw DNNError(
                "the model's column '\(elided(date.name))' holds dates, which ONNX cannot read from text; "
                    + "export is for models without date features")
        }
        let numeric = columns.filter { $0.kind == .numeric }.map(\.name)
        let strings = columns.filter { $0.kind != .numeric }.map(\.name)
        if let clash = strings.first(where: { $0 == "numbers" }) {
            throw DNNError("a text column named '\(clash)' would clash with the input of the numbers")
        }
        var inputs = [Onnx_ValueInfoProto]()
        if !numeric.isEmpty {
            inputs.append(builder.valueInfo("numbers", numeric.count))
            builder.initializer(
                "pipeline/fills", [1, numeric.count], columns.filter { $0.kind == .numeric }.map { $0.fill ?? 0 })
            builder.add(ONNXOperator(type: "IsNaN"), ["numbers"], "pipeline/missing")
            builder.add(
                ONNXOperator(type: "Where"), ["pipeline/missing", "pipeline/fills", "numbers"], "pipeline/imputed")
            builder.add(
                ONNXOperator(type: "Cast", attributes: [.int("to", Int(builder.elementType))]), ["pipeline/missing"],
                "pipeline/indicators")
        }
        let missingWords = [""] + MissingValues.words.sorted()
        var pieces = [String]()
        for (k, encoder) in columns.enumerated() {
            let prefix = "pipeline/\(k)"
            switch encoder.kind {
            case .numeric:
                let j = numeric.firstIndex(of: encoder.name)!
                builder.initializer("\(prefix)/index", [1], integers: [j])
                builder.add(
                    ONNXOperator(type: "Gather", attributes: [.int("axis", 1)]),
                    ["pipeline/imputed", "\(prefix)/index"], "\(prefix)/value")
                pieces.append("\(prefix)/value")
                if encoder.indicator {
                    builder.add(
                        ONNXOperator(type: "Gather", attributes: [.int("axis", 1)]),
                        ["pipeline/indicators", "\(prefix)/index"],
                        "\(prefix)/missing")
                    pieces.append("\(prefix)/missing")
                }
                continue
            case .boolean:
                inputs.append(builder.valueInfo(encoder.name, 1, type: ONNXGraphBuilder.stringType))
                let fill = encoder.fill ?? 0
                var keys = [String](), values = [Double]()
                for (word, value) in [(encoder.yes ?? "true", 1.0), (encoder.no ?? "false", 0.0)] {
                    for spelling in Set([word, word.uppercased(), word.prefix(1).uppercased() + word.dropFirst()]) {
                        keys.append(spelling)
                        values.append(value)
                    }
                }
                keys += missingWords
                values += missingWords.map { _ in fill }
                builder.add(
                    ONNXOperator(
                        type: "LabelEncoder",
                        attributes: [
                            .strings("keys_strings", keys), .floats("values_floats", values),
                            .float("default_float", fill),
                        ],
                        domain: "ai.onnx.ml"), [encoder.name], "\(prefix)/float")
                builder.add(
                    ONNXOperator(type: "Cast", attributes: [.int("to", Int(builder.elementType))]), ["\(prefix)/float"],
                    "\(prefix)/value")
                pieces.append("\(prefix)/value")
            case .categorical:
                inputs.append(builder.valueInfo(encoder.name, 1, type: ONNXGraphBuilder.stringType))
                let categories = encoder.categories ?? []
                let width = categories.count + (encoder.other == true ? 1 : 0)
                let fill =
                    encoder.fillText.flatMap { categories.firstIndex(of: $0) }
                    ?? (encoder.other == true ? categories.count : -1)
                let keys = categories + missingWords
                let values = Array(categories.indices) + missingWords.map { _ in fill }
                builder.add(
                    ONNXOperator(
                        type: "LabelEncoder",
                        attributes: [
                            .strings("keys_strings", keys), .ints("values_int64s", values),
                            .int("default_int64", encoder.other == true ? categories.count : -1),
                        ], domain: "ai.onnx.ml"), [encoder.name], "\(prefix)/code")
                builder.add(
                    ONNXOperator(
                        type: "OneHotEncoder", attributes: [.ints("cats_int64s", Array(0..<width)), .int("zeros", 1)],
                        domain: "ai.onnx.ml"), ["\(prefix)/code"], "\(prefix)/onehot")
                builder.add(
                    ONNXOperator(type: "Flatten", attributes: [.int("axis", 1)]), ["\(prefix)/onehot"], "\(prefix)/flat"
                )
                builder.add(
                    ONNXOperator(type: "Cast", attributes: [.int("to", Int(builder.elementType))]), ["\(prefix)/flat"],
                    "\(prefix)/value")
                pieces.append("\(prefix)/value")
            case .date, .identifier:
                preconditionFailure("not a feature exported")
            }
            if encoder.indicator {
                builder.add(
                    ONNXOperator(
                        type: "LabelEncoder",
                        attributes: [
                            .strings("keys_strings", missingWords),
                            .floats("values_floats", missingWords.map { _ in 1 }),
                            .float("default_float", 0),
                        ], domain: "ai.onnx.ml"), [encoder.name], "\(prefix)/missing float")
                builder.add(
                    ONNXOperator(type: "Cast", attributes: [.int("to", Int(builder.elementType))]),
                    ["\(prefix)/missing float"], "\(prefix)/missing")
                pieces.append("\(prefix)/missing")
            }
        }
        builder.add(ONNXOperator(type: "Concat", attributes: [.int("axis", 1)]), pieces, output)
        let description: [String: [String]] = ["numbers": numeric, "strings": strings]
        return (
            inputs,
            String(
                decoding: try JSONSerialization.data(withJSONObject: description, options: [.sortedKeys]), as: UTF8.self
            )
        )
    }
}
