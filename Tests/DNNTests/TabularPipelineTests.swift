import Foundation
import Testing

@testable import DNN

/// Columns as they come: their kinds, the pipeline fitted on training rows (medians, most frequent
/// values, categories, pooling, indicators, dates) computed here independently, and the same
/// encoding of rows read later, in another column order, with unseen and missing cells.
@Suite("Tabular data: column kinds and the pipeline that encodes them")
struct TabularPipelineTests {
    /// Twelve rows of every kind: numbers with a gap, a category with a gap and a rare value,
    /// booleans, dates, names (distinct), and a label.
    static let text = """
        size,colour,member,joined,name,label
        1.5,red,yes,2024-03-01,n0,a
        2.5,blue,no,2024-03-02,n1,b
        ,red,yes,2023-12-31,n2,a
        4,green,NO,2024-02-29,n3,b
        10,red,Yes,,n4,a
        -3,blue,no,2024-01-15,n5,b
        7,,yes,2024-03-05,n6,a
        8,blue,no,2024-03-06,n7,b
        9,violet,yes,2024-03-07,n8,a
        0.5,red,no,2024-03-08,n9,b
        11,blue,yes,2024-03-09,n10,a
        12,red,no,2024-03-10,n11,b

        """

    @Test("kinds: numbers, booleans of one pair in any case, categories, dates, identifiers, pandas' index")
    func kinds() throws {
        let table = try Table.read(temporaryFile("t.csv", Self.text))
        #expect(table.columns.map(\.kind) == [.numeric, .categorical, .boolean, .date, .categorical, .categorical])
        // Twelve distinct names are too few to call them identifiers; twenty are not.
        var names = "name,x\n"
        for k in 0..<20 { names += "person \(k),\(k)\n" }
        let many = try Table.read(temporaryFile("n.csv", names))
        #expect(many.columns[0].kind == .identifier && many.columns[1].isRowIndex)
        #expect(ISODate.components("2024-03-01")! == (2024, 3, 1, 4), "a Friday")
        #expect(ISODate.components("2000-02-29T10:00")! == (2000, 2, 29, 1), "a Tuesday")
        #expect(ISODate.components("2023-02-29") == nil && ISODate.components("2024-13-01") == nil)
    }

    @Test("the fitted pipeline: medians, most frequent values, sorted categories, pooling, indicators, dates")
    func fit() throws {
        var settings = TableSettings()
        settings.missingIndicator = true
        settings.minCategoryCount = 2
        settings.expandDates = true
        let data = try Dataset.load(
            temporaryFile("t.csv", Self.text), columns: CSVColumns(ignored: ["name"], reading: settings))
        let pipeline = try #require(data.pipeline)
        #expect(pipeline.columns.map(\.name) == ["size", "colour", "member", "joined"])
        // size: the median of the eleven present values, computed here.
        let sizes = [1.5, 2.5, 4, 10, -3, 7, 8, 9, 0.5, 11, 12].sorted()
        #expect(pipeline.columns[0].fill == sizes[5] && pipeline.columns[0].indicator)
        // colour: red 5, blue 4, green 1, violet 1; with at least 2, green and violet are pooled.
        #expect(pipeline.columns[1].categories == ["blue", "red"] && pipeline.columns[1].other == true)
        #expect(pipeline.columns[1].fillText == "red")
        // member: yes 6, no 6 (any case): a tie fills with yes; no gap, no indicator.
        #expect(pipeline.columns[2].fill == 1 && !pipeline.columns[2].indicator)
        #expect(
            data.featureNames == [
                "size", "size_missing", "colour=blue", "colour=red", "colour=(other)", "colour_missing", "member",
                "joined.year", "joined.month", "joined.day", "joined.weekday", "joined_missing",
            ])
        let X = data.X
        // Row 2: size missing → the median and its indicator; row 3: green → (other); row 6:
        // colour missing → red and its indicator; row 4: no date → the median date's parts.
        #expect(X[0, 2] == sizes[5] && X[1, 2] == 1 && X[1, 0] == 0)
        #expect((2...4).map { X[$0, 3] } == [0, 0, 1])
        #expect((2...5).map { X[$0, 6] } == [0, 1, 0, 1])
        #expect((6...10).map { X[$0, 0] } == [1, 2024, 3, 1, 4])
        let medianDate = [
            "2024-03-01", "2024-03-02", "2023-12-31", "2024-02-29", "2024-01-15", "2024-03-05",
            "2024-03-06", "2024-03-07", "2024-03-08", "2024-03-09", "2024-03-10",
        ].sorted()[5]
        let parts = ISODate.components(medianDate)!
        #expect(
            (7...11).map { X[$0, 4] } == [
                Double(parts.year), Double(parts.month), Double(parts.day), Double(parts.weekday), 1,
            ])
    }

    @Test("rows read later in the model's terms: columns by name, unseen categories as zeros, or refused")
    func transform() throws {
        let training = try Dataset.load(temporaryFile("t.csv", Self.text), columns: CSVColumns(ignored: ["name"]))
        let pipeline = try #require(training.pipeline)
        // Another order, an extra column, a category never seen, and a missing boolean.
        let later = temporaryFile(
            "later.csv", "extra,member,size,joined,colour\n1,no,2,2024-01-01,red\n2,,3,2024-01-02,orange\n")
        let data = try Dataset.load(later, columns: CSVColumns(labelsOptional: true), pipeline: pipeline)
        #expect(data.featureNames == training.featureNames)
        // colour: blue, green, red, violet.
        #expect(data.X.rows == 1 + 4 + 1 && (1...4).map { data.X[$0, 0] } == [0, 0, 1, 0])
        #expect((1...4).map { data.X[$0, 1] } == [0, 0, 0, 0] && data.unknownCategories.first! == ("colour", 1))
        #expect(data.X[5, 1] == pipeline.columns[2].fill)
        var strict = TableSettings()
        strict.unknownCategory = .error
        #expect(
            throws: DNNError(
                "\(later):3: column 'colour': 'orange' is not a category seen in training (--unknown-category error)")
        ) {
            try Dataset.load(later, columns: CSVColumns(labelsOptional: true, reading: strict), pipeline: pipeline)
        }
        strict.missing = .error
        strict.unknownCategory = .zeros
        #expect(
            throws: DNNError(
                "\(later):3: column 'member': a missing value (--missing error refuses them; without it they are imputed)"
            )
        ) {
            try Dataset.load(later, columns: CSVColumns(labelsOptional: true, reading: strict), pipeline: pipeline)
        }
        let text = temporaryFile("text.csv", "member,size,joined,colour\nno,big,2024-01-01,red\n")
        #expect(
            throws: DNNError("\(text):2: column 'size': 'big' is not a number (the model reads this column as numbers)")
        ) {
            try Dataset.load(text, columns: CSVColumns(labelsOptional: true), pipeline: pipeline)
        }
    }

    @Test("a model keeps its pipeline: saved, read back, and predicting raw rows as it predicted its training rows")
    func model() throws {
        let training = try Dataset.load(temporaryFile("t.csv", Self.text), columns: CSVColumns(ignored: ["name"]))
        var model = try DeepNeuralNetwork(
            network: Network(
                inputs: training.featureCount, hidden: [Layer(units: 4, activation: .tanh)], task: training.task),
            initialization: .he, task: training.task)
        model.featureNames = training.featureNames
        model.preprocessing = training.pipeline
        try model.train(training.X, training.Y, learningRate: 0.1, iterations: 50)
        let path = temporaryDirectory() + "/m.json"
        try model.save(to: path)
        let read = try DeepNeuralNetwork(contentsOf: path)
        #expect(read.preprocessing == training.pipeline && read == model)
        let again = try Dataset.load(
            temporaryFile("t.csv", Self.text), columns: CSVColumns(labelsOptional: true), pipeline: read.preprocessing)
        #expect(try read.predict(again.X).probabilities == model.predict(training.X).probabilities)
    }

    @Test(
        "damaged pipelines in a model file are one line",
        arguments: [
            ("\"fill\":7", "\"fill\":null", "preprocessing: column 'size' has no finite fill value"),
            (
                "\"kind\":\"date\"", "\"kind\":\"identifier\"",
                "preprocessing: column 'joined' is an identifier, which is never a feature"
            ),
        ])
    func damaged(old: String, new: String, message: String) throws {
        var settings = TableSettings()
        settings.expandDates = true
        let training = try Dataset.load(
            temporaryFile("t.csv", Self.text), columns: CSVColumns(ignored: ["name"], reading: settings))
        var model = try DeepNeuralNetwork(
            network: Network(
                inputs: training.featureCount, hidden: [Layer(units: 2, activation: .relu)], task: training.task),
            task: training.task)
        model.preprocessing = training.pipeline
        let text = String(decoding: try model.fileData(), as: UTF8.self)
        #expect(text.contains(old))
        let path = temporaryFile("m.json", text.replacingOccurrences(of: old, with: new))
        #expect(throws: DNNError("\(path): damaged model file: \(message)")) { try DeepNeuralNetwork(contentsOf: path) }
    }
}
