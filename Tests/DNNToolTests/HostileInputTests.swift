import DNN
import Foundation
import Testing

/// The second round of hostile inputs (issue "Nothing crashes, nothing is lost: round two"): each
/// case crashed, hung, lost data or answered wrongly before, and now gives one line, the right
/// status and nothing written, or the right answer.
@Suite("Hostile inputs, round two")
struct HostileInputTests {
    /// `expectRefused` of the first round: status, one line, `message`, the directory unchanged.
    static func refused(
        _ arguments: [String], in directory: String, status: Int32 = 1, _ message: BadInputTests.Message,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        try BadInputTests.expectRefused(
            arguments, in: directory, status: status, message, sourceLocation: sourceLocation)
    }

    /// A model file of `model` with some fields of its JSON replaced (`edit` takes the object).
    static func edited(_ model: DeepNeuralNetwork, _ edit: (inout [String: Any]) -> Void) throws -> Data {
        var object = try JSONSerialization.jsonObject(with: try model.fileData()) as! [String: Any]
        edit(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    /// A model trained for a few passes on `data.csv` (two features x1, x2; classes 0 and 1).
    static func trained() throws -> DeepNeuralNetwork {
        var model = try DeepNeuralNetwork(layerSizes: [2, 3, 1])
        model.featureNames = ["x1", "x2"]
        try model.train(
            Matrix([[1, 3], [2, 4]]), Matrix([[0, 1]]), options: TrainingOptions(learningRate: 0.1, iterations: 3))
        return model
    }

    // MARK: - Outputs

    @Test(
        "an output that names a directory, on every command that writes: one line, exit 1, nothing written",
        arguments: [".", "sub/", "sub/.", "..", "/"])
    func directoryOutputs(path: String) throws {
        let directory = try directoryWithDataAndModel()
        try FileManager.default.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: false)
        let line = BadInputTests.Message.exactly("dnn: \(path): names a directory; outputs go to files")
        for arguments in [
            ["train", "--train", "data.csv", "--iterations", "2", "--output", path],
            ["train", "--train", "data.csv", "--iterations", "2", "--plot", path],
            ["train", "--train", "data.csv", "--iterations", "2", "--report", path],
            ["predict", "--model", "m.json", "--data", "data.csv", "--output", path],
            ["evaluate", "--model", "m.json", "--data", "data.csv", "--report", path],
            ["export", "--model", "m.json", "--format", "npz", "--output", path],
            ["export", "--model", "m.json", "--format", "onnx", "--output", path],
        ] {
            try Self.refused(arguments, in: directory, line)
        }
    }

    @Test("a replaced output keeps its permissions (0600 stays 0600)")
    func permissionsKept() throws {
        let directory = try directoryWithDataAndModel()
        let target = directory + "/private.json"
        FileManager.default.createFile(atPath: target, contents: Data("old".utf8))
        chmod(target, 0o600)
        let result = try CommandRunner.run(
            ["train", "--train", "data.csv", "--iterations", "2", "--output", "private.json", "--quiet"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: target)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try DeepNeuralNetwork(contentsOf: target).layerSizes == [2, 20, 7, 5, 1])
    }

    /// A killed writer's temporary file (`.NAME.PID.SUFFIX.tmp`, locked while written) is removed
    /// by the next write once no process holds its lock; one still locked, as by a writer in
    /// another container whose PID this one cannot see, is left alone.
    @Test("temporary files: an unlocked one of a killed run is removed, a locked one is kept")
    func lockedTemporaryFiles() throws {
        let directory = try directoryWithDataAndModel()
        let abandoned = ".out.json.12345.1f2e3d.tmp", busy = ".out.json.12345.abcdef.tmp"
        for name in [abandoned, busy] {
            FileManager.default.createFile(atPath: directory + "/" + name, contents: Data("partial".utf8))
        }
        let descriptor = open(directory + "/" + busy, O_RDONLY)
        defer { close(descriptor) }
        #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        let result = try CommandRunner.run(
            ["train", "--train", "data.csv", "--iterations", "2", "--output", "out.json", "--quiet"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: directory))
        #expect(names == ["data.csv", "m.json", "out.json", busy])
    }

    // MARK: - Special files

    /// A FIFO would block the reader forever (no writer) and /dev/zero never ends: both are
    /// refused before a byte is read. The files sit outside the working directory, whose
    /// contents the check reads.
    @Test("a FIFO or /dev/zero as a data, model, archive or picture file: refused at once")
    func specialFiles() throws {
        let directory = try directoryWithDataAndModel()
        let elsewhere = temporaryDirectory()
        let fifo = elsewhere + "/data.csv"
        #expect(mkfifo(fifo, 0o600) == 0)
        for (name, target) in [("zero.csv", "/dev/zero"), ("zero.json", "/dev/zero"), ("zero.npz", "/dev/zero")] {
            try FileManager.default.createSymbolicLink(atPath: elsewhere + "/" + name, withDestinationPath: target)
        }
        var pictures = try DeepNeuralNetwork(layerSizes: [12288, 2, 1])
        pictures.inputShape = [64, 64, 3]
        try pictures.save(to: directory + "/image.json")
        let pipe = "is a pipe (FIFO), not a file; save the data to a file first"
        let device = "is a device or socket, not a file"
        for (arguments, message) in [
            (["train", "--train", fifo, "--iterations", "1"], "\(fifo): \(pipe)"),
            (["predict", "--model", "m.json", "--data", fifo], "\(fifo): \(pipe)"),
            (["info", "--model", fifo], "\(fifo): \(pipe)"),
            (["train", "--train", elsewhere + "/zero.csv", "--iterations", "1"], "\(elsewhere)/zero.csv: \(device)"),
            (["info", "--model", elsewhere + "/zero.json"], "\(elsewhere)/zero.json: \(device)"),
            (
                ["import", "--input", elsewhere + "/zero.npz", "--output", "i.json"],
                "\(elsewhere)/zero.npz: \(device)"
            ),
            (["predict", "--model", "image.json", "--image", "/dev/zero"], "/dev/zero: \(device)"),
        ] {
            let started = Date()
            try Self.refused(arguments, in: directory, .exactly("dnn: " + message))
            #expect(Date().timeIntervalSince(started) < 20, "refused at once, not after reading")
        }
    }

    // MARK: - Model files and --resume

    @Test("saved pass counts: negative or at Int's largest are refused on reading; --resume cannot overflow")
    func passCounts() throws {
        let directory = try directoryWithDataAndModel()
        let model = try Self.trained()
        for (count, name) in [(-5, "negative.json"), (Int.max, "largest.json")] {
            try Self.edited(model) { object in
                var training = object["training"] as! [String: Any]
                training["iterations"] = count
                object["training"] = training
            }.write(to: URL(fileURLWithPath: directory + "/" + name))
            try Self.refused(
                ["info", "--model", name], in: directory,
                .exactly(
                    "dnn: \(name): damaged model file: training.iterations \(count) is out of range (0…9007199254740992)"
                ))
        }
        // The most passes a model counts, less one: resuming for two more would pass it.
        try Self.edited(model) { object in
            var training = object["training"] as! [String: Any]
            training["iterations"] = TrainingRecord.maximumPasses - 1
            training["history"] = nil
            object["training"] = training
        }.write(to: URL(fileURLWithPath: directory + "/near.json"))
        try Self.refused(
            ["train", "--train", "data.csv", "--resume", "near.json", "--iterations", "2", "--output", "o.json"],
            in: directory,
            .exactly(
                "dnn: 2 more passes after the model's 9007199254740991 would pass the most a model counts, 9007199254740992"
            ))
    }

    @Test("--resume with the columns in another order: refused, not trained on swapped features")
    func resumeSwappedColumns() throws {
        let directory = try directoryWithDataAndModel()
        try Self.trained().save(to: directory + "/trained.json")
        try BadInputTests.write("x2,x1,label\n2,1,0\n4,3,1\n", to: directory + "/swapped.csv")
        try Self.refused(
            ["train", "--train", "swapped.csv", "--resume", "trained.json", "--iterations", "2", "--output", "o.json"],
            in: directory,
            .exactly(
                "dnn: swapped.csv: columns in another order than the model's (column 1 is 'x2', the model's is 'x1'); "
                    + "--resume needs the model's columns in its order"))
    }

    @Test("optimiser moments that do not fit the layers, costs below 0, repeated names: damaged files")
    func damagedContents() throws {
        let directory = try directoryWithDataAndModel()
        let model = try Self.trained()
        var adam = try DeepNeuralNetwork(layerSizes: [2, 3, 1])
        try adam.train(
            Matrix([[1, 3], [2, 4]]), Matrix([[0, 1]]),
            options: TrainingOptions(
                learningRate: 0.1, iterations: 2, optimizer: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)))
        let cases: [(Data, String)] = [
            (
                try Self.edited(adam) { object in
                    var state = object["optimizerState"] as! [String: Any]
                    state["moments"] = [[0.0]]
                    object["optimizerState"] = state
                },
                "damaged model file: optimizerState.moments do not fit adam's state of these layers"
            ),
            (
                try Self.edited(model) { object in
                    var training = object["training"] as! [String: Any]
                    training["history"] = [-1e308, 0.5, 0.4]
                    object["training"] = training
                },
                "damaged model file: training.costs hold -1e+308, not a cost (0 or more)"
            ),
            (
                try Self.edited(model) { $0["task"] = ["kind": "classification", "names": ["cat", "cat"]] },
                "damaged model file: the class name 'cat' is given twice"
            ),
            (
                try Self.edited(model) { $0["featureNames"] = ["x1", "x1"] },
                "damaged model file: the feature name 'x1' is given twice"
            ),
        ]
        for (index, (data, message)) in cases.enumerated() {
            let name = "damaged\(index).json"
            try data.write(to: URL(fileURLWithPath: directory + "/" + name))
            try Self.refused(["info", "--model", name], in: directory, .exactly("dnn: \(name): \(message)"))
        }
    }

    /// Features of ±1e200: their variance (1e400) overflowed and the scale became inf, which the
    /// reader refuses; the model was written over a good file all the same.
    @Test("--standardize on features of ±1e200: the model written reads back")
    func standardizeHugeValues() throws {
        let directory = try directoryWithDataAndModel()
        try BadInputTests.write(
            "a,b,label\n1e200,1,0\n-1e200,2,1\n1e200,3,0\n-1e200,4,1\n", to: directory + "/huge.csv")
        let result = try CommandRunner.run(
            [
                "train", "--train", "huge.csv", "--standardize", "--layers", "2", "--iterations", "3", "--output",
                "m.json",
            ],
            in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let model = try DeepNeuralNetwork(contentsOf: directory + "/m.json")
        #expect(model.standardization?.scale[0] == 1e200)
        #expect(model.standardization?.mean[0] == 0)
    }

    // MARK: - Evaluation at scale

    /// 100,000 classes: a dense confusion matrix would take 80 GB. The counts are kept per pair
    /// seen, and the table is not printed beyond 30 classes.
    @Test("a model of 100,000 classes evaluates and reports without an 80 GB confusion matrix")
    func manyClasses() throws {
        let directory = try directoryWithDataAndModel()
        let classes = 100_000
        let model = try DeepNeuralNetwork(
            network: Network(inputs: 2, hidden: [], head: .softmax, classes: classes), initialization: .he, seed: 1)
        try model.save(to: directory + "/wide.json")
        try BadInputTests.write("x1,x2,label\n1,2,0\n3,4,99999\n5,6,7\n", to: directory + "/labels.csv")
        let result = try CommandRunner.run(
            ["evaluate", "--model", "wide.json", "--data", "labels.csv", "--report", "r.html"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("(the confusion matrix of 100000 classes is not shown: more than 30)"))
        #expect(FileManager.default.fileExists(atPath: directory + "/r.html"))
    }

    // MARK: - Pictures

    /// A 3-class picture model: the class printed is the most probable one, with its own
    /// probability (it was the probability of "class 1" thresholded at 0.5).
    @Test("predict --image with three classes, and --threshold with two")
    func picturePredictions() throws {
        let directory = temporaryDirectory()
        let photo = fixture("photo.jpg")
        var three = try DeepNeuralNetwork(
            network: Network(inputs: 12288, hidden: [Layer(units: 4)], head: .softmax, classes: 3),
            initialization: .he, seed: 2, classNames: ["cat", "dog", "bird"])
        three.inputShape = [64, 64, 3]
        try three.save(to: directory + "/three.json")
        let picture = try RGBImage(contentsOf: photo).resized(width: 64, height: 64).column
        let probabilities = try three.predict(picture).probabilities.scalars
        let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] }!
        let result = try CommandRunner.run(["predict", "--model", "three.json", "--image", photo], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "\(photo): \(three.classNames[best]) (probability \(probabilities[best]))\n")

        var two = try DeepNeuralNetwork(layerSizes: [12288, 3, 1], classNames: ["non-cat", "cat"])
        two.inputShape = [64, 64, 3]
        try two.save(to: directory + "/two.json")
        let p = try two.predict(picture).probabilities[0, 0]
        for (threshold, expected) in [(0.0, "cat"), (1.0, "non-cat")] {
            let run = try CommandRunner.run(
                ["predict", "--model", "two.json", "--image", photo, "--threshold", "\(threshold)"], in: directory)
            #expect(run.stdout == "\(photo): \(expected) (probability of cat: \(p))\n", "\(run.stderr)")
        }
    }

    // MARK: - Data files

    @Test("an HDF5 file of two sets: refused unless one is named; train reads train_set, --test test_set")
    func twoSets() throws {
        let directory = try directoryWithDataAndModel()
        let file = fixture("two_sets.h5")
        try Self.refused(
            ["evaluate", "--model", "m.json", "--data", file], in: directory,
            .exactly("dnn: \(file): holds 2 sets (test_set, train_set); name the one to read with --hdf5-set test_set"))
        let result = try CommandRunner.run(
            ["train", "--train", file, "--test", file, "--layers", "2", "--iterations", "2", "--output", "t.json"],
            in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("on 3 examples"), "the 3 training pictures, not the 2 test ones")
        let named = try Dataset.load(file, hdf5Set: "test_set")
        #expect(named.exampleCount == 2 && named.Y.scalars == [1, 0])
        try Self.refused(
            ["evaluate", "--model", "t.json", "--data", file, "--hdf5-set", "valid_set"], in: directory,
            .exactly("dnn: \(file): no set valid_set (valid_set_x); it holds test_set_x, train_set_x"))
    }

    @Test("data whose class names are not the model's: refused, not scored")
    func contradictingClassNames() throws {
        let directory = temporaryDirectory()
        var model = try DeepNeuralNetwork(layerSizes: [12, 2, 1], classNames: ["non-cat", "cat"])
        model.inputShape = [2, 2, 3]
        try model.save(to: directory + "/m.json")
        let file = fixture("other_class_names.h5")
        try Self.refused(
            ["evaluate", "--model", "m.json", "--data", file], in: directory,
            .exactly("dnn: \(file): class 'dog' is not one of the model's classes (non-cat, cat)"))
        try Self.refused(
            ["train", "--train", fixture("tiny_images.h5"), "--test", file, "--iterations", "1"], in: directory,
            .exactly("dnn: \(file): class 'dog' is not one of the training data's classes (non-cat, cat)"))
    }

    /// 0xFF in a cell: CSV.swift's decoder stopped the row there and read the rest as another row.
    @Test("a CSV with a byte that is not UTF-8: one line naming the line, the column and the byte")
    func invalidUTF8() throws {
        let directory = try directoryWithDataAndModel()
        let bytes: [(String, [UInt8], String)] = [
            (
                "cell.csv", Array("a,b,label\n1,2,0\n3,".utf8) + [0xFF, 0xFE] + Array("4,1\n".utf8),
                "3: column 3: byte 0xFF"
            ),
            ("quoted.csv", Array("a,b,label\n\"5".utf8) + [0xC3] + Array("\",6,0\n".utf8), "2: column 4: byte 0x22"),
            (
                "surrogate.csv", Array("a,b,label\n1,".utf8) + [0xED, 0xA0, 0x80] + Array(",0\n".utf8),
                "2: column 4: byte 0xA0"
            ),
        ]
        for (name, content, place) in bytes {
            try Data(content).write(to: URL(fileURLWithPath: directory + "/" + name))
            try Self.refused(
                ["train", "--train", name, "--iterations", "1"], in: directory,
                .exactly("dnn: \(name):\(place) is not UTF-8 text"))
        }
    }

    // MARK: - numpy archives

    /// An archive of `arrays`, stored as `np.savez` stores them.
    static func archive(_ arrays: [(String, NumPyArray)]) throws -> Data { try NumPyArchive.data(arrays) }

    @Test("npz: a bad CRC-32, a missing layer, mean without scale, a shape of 2³¹ × 2³¹: one line each")
    func damagedArchives() throws {
        let directory = try directoryWithDataAndModel()
        let W1 = NumPyArray(shape: [3, 2], values: [1, 2, 3, 4, 5, 6.5]),
            b1 = NumPyArray(shape: [3, 1], values: [0, 0, 0])
        let W2 = NumPyArray(shape: [1, 3], values: [1, 1, 1]), b2 = NumPyArray(shape: [1, 1], values: [0])
        var corrupted = try Self.archive([("W1", W1), ("b1", b1), ("W2", W2), ("b2", b2)])
        // The last value of W1 (6.5, stored little-endian) changed in place, its CRC-32 not.
        let bytes = withUnsafeBytes(of: (6.5).bitPattern.littleEndian) { Data($0) }
        let at = try #require(corrupted.range(of: bytes))
        corrupted[at.upperBound - 1] ^= 0x01
        let header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2147483648, 2147483648), }"
        let padded = header + String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        let huge = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(padded.utf8.count), 0] + Array(padded.utf8))
        let cases: [(String, Data, String)] = [
            ("crc.npz", corrupted, "crc.npz: W1.npy: its CRC-32 does not match its bytes (a damaged archive)"),
            (
                "gap.npz", try Self.archive([("W1", W1), ("b1", b1), ("W3", W2), ("b3", b2)]),
                "gap.npz: W3 follows no W2 (layers go W1, b1, W2, b2, … with none missing)"
            ),
            (
                "mean.npz",
                try Self.archive([
                    ("W1", W1), ("b1", b1), ("W2", W2), ("b2", b2), ("mean", NumPyArray(shape: [2], values: [0, 0])),
                ]),
                "mean.npz: a standardisation needs both mean and scale; the archive holds only mean"
            ),
            (
                "huge.npz", try NumPyArchive.data(entries: [("W1", huge)]),
                "huge.npz: W1.npy: shape [2147483648, 2147483648] holds more values than can be counted"
            ),
        ]
        for (name, data, message) in cases {
            try data.write(to: URL(fileURLWithPath: directory + "/" + name))
            try Self.refused(
                ["import", "--input", name, "--output", "i.json"], in: directory, .exactly("dnn: " + message))
        }
    }

    /// Found by `scripts/fuzz npz`: a central directory whose entries point past the end of the
    /// file trapped inside ZIPFoundation's in-memory archive; the archive is now read from the file.
    @Test("an npz whose zip directory points past its end: one line, exit 1")
    func zipDirectoryPastEnd() throws {
        let directory = try directoryWithDataAndModel()
        let file = fixture("zip_directory_past_end.npz")
        try Self.refused(
            ["import", "--input", file, "--output", "i.json"], in: directory,
            .exactly("dnn: \(file): no .npy arrays in the archive"))
    }

    /// A deflated entry whose zip directory says 144 bytes, as its .npy header does, but which
    /// inflates to 200 MB: stopped as it passes 144 bytes, not inflated whole first. Made with
    /// Python's zipfile (the sizes then patched), as a hostile archive would be.
    @Test("an npz that inflates past its declared size (a zip bomb): refused before it is inflated")
    func zipBomb() throws {
        let directory = try directoryWithDataAndModel()
        let script = """
            import struct, sys, zipfile
            header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }"
            header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\\n"
            npy = b"\\x93NUMPY\\x01\\x00" + struct.pack("<H", len(header)) + header.encode() + bytes(16)
            with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("W1.npy", npy + bytes(200_000_000))
            data = bytearray(open(sys.argv[1], "rb").read())
            data[22:26] = struct.pack("<I", len(npy))  # the local header's uncompressed size
            central = data.rfind(b"PK\\x01\\x02")
            data[central + 24:central + 28] = struct.pack("<I", len(npy))
            open(sys.argv[1], "wb").write(data)
            """
        let made = try CommandRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, directory + "/bomb.npz"])
        try #require(made.status == 0, "python3 made the archive: \(made.stderr)")
        let started = Date()
        try Self.refused(
            ["import", "--input", "bomb.npz", "--output", "i.json"], in: directory,
            .exactly(
                "dnn: bomb.npz: W1.npy: inflates to more bytes than its .npy header holds (a damaged or hostile archive)"
            ))
        #expect(Date().timeIntervalSince(started) < 5, "stopped early, not after inflating 200 MB")
    }

    // MARK: - Output that must stay valid

    /// The course's "random" initialisation on its circles costs inf for its first passes: JSON
    /// has no inf, so the log line says null.
    @Test("a JSONL log of infinite costs is valid JSON (null for inf)")
    func jsonLogOfInfiniteCosts() throws {
        let circles = SharedData.path("course2/circles_train.csv")
        try #require(FileManager.default.fileExists(atPath: circles), "needs ../shared/data")
        let directory = temporaryDirectory()
        let result = try CommandRunner.run(
            [
                "train", "--train", circles, "--layers", "10,5", "--init", "random", "--learning-rate", "0.01",
                "--iterations", "3", "--log", "l.jsonl", "--quiet",
            ], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = String(decoding: FileManager.default.contents(atPath: directory + "/l.jsonl")!, as: UTF8.self)
            .split(separator: "\n")
        #expect(lines.count == 3)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            #expect(object["cost"] is NSNull, "\(line)")
        }
    }

    /// Class names holding ESC, BEL and CR (from a model file, or an HDF5 file's list_classes):
    /// printed as `\u{1B}`, never sent to the terminal as they are.
    @Test("class names with ESC, BEL and CR: info and evaluate print them escaped")
    func terminalInjection() throws {
        let directory = try directoryWithDataAndModel()
        let model = try DeepNeuralNetwork(layerSizes: [2, 3, 1], classNames: ["\u{1B}]0;pwned\u{7}", "ok\r"])
        try model.save(to: directory + "/named.json")
        for arguments in [
            ["info", "--model", "named.json"], ["evaluate", "--model", "named.json", "--data", "data.csv"],
            ["predict", "--model", "named.json", "--data", "data.csv"],
        ] {
            let result = try CommandRunner.run(arguments, in: directory)
            #expect(result.status == 0, "\(result.stderr)")
            if arguments[0] != "predict" {
                #expect(!result.stdout.unicodeScalars.contains { [0x1B, 0x07, 0x0D].contains($0.value) })
                #expect(result.stdout.contains("\\u{1B}]0;pwned\\u{7}"), "\(result.stdout)")
            } else {
                // Into a pipe, predictions are data: the names go as they are, quoted by CSV.
                #expect(result.stdout.contains("\"ok\r\""))
            }
        }
    }

    @Test("a gradient check whose difference is NaN gets no verdict; one of hours is refused")
    func gradientCheckVerdicts() throws {
        let directory = try directoryWithDataAndModel()
        try BadInputTests.write(
            "x1,x2,label\n1e308,-1e308,0\n-1.7e308,1.7e308,1\n1.5e308,1.5e308,0\n-1e308,-1.6e308,1\n",
            to: directory + "/near.csv")
        let result = try CommandRunner.run(["gradcheck", "--data", "near.csv", "--layers", "3"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("The difference is nan: the cost or its gradients are not finite here"))
        #expect(!result.stdout.contains("probably right") && !result.stdout.contains("-nan"))
        try Self.refused(
            ["gradcheck", "--data", "data.csv", "--layers", "2000,200"], in: directory,
            .between(prefix: "dnn: a gradient check of 406401 parameters on 2 examples is", suffix: "fewer examples"))
    }
}
