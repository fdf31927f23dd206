import DNN
import Foundation
import Testing

@Suite("The dnn command, run as a user runs it")
struct CommandTests {
    @Test("train on the built-in data prints the course's lines; the model and log are written")
    func trainFlower() throws {
        let directory = temporaryDirectory()
        let result = try CommandRunner.run(
            ["train", "--layers", "5,3", "--iterations", "300", "--output", "model.json", "--log", "costs.csv"],
            in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        // The library decides the numbers; the command must print them the course's way.
        let flower = Dataset.flower()
        var model = try DeepNeuralNetwork(layerSizes: [2, 5, 3, 1])
        let history = try model.train(flower.X, flower.Y, learningRate: 0.0075, iterations: 300)
        for record in history {
            #expect(
                result.stdout.contains(
                    "Cost after iteration \(record.iteration): \(String(format: "%f", record.cost))\n"))
        }
        #expect(result.stdout.contains("Train accuracy: \(try model.accuracy(flower.X, flower.Y))\n"))
        let saved = try DeepNeuralNetwork(contentsOf: directory + "/model.json")
        #expect(saved.parameters == model.parameters)
        let log = try String(contentsOfFile: directory + "/costs.csv", encoding: .utf8)
        // Every pass, whatever --print-every.
        #expect(
            log == "iteration,cost\n"
                + model.training!.history!.enumerated().map { "\($0.offset),\($0.element)\n" }.joined())
        #expect(model.training!.history!.count == 300)
        #expect(result.stderr.isEmpty, "no progress bar when standard error is not a terminal")
    }

    /// Three classes from a CSV: a softmax model; predict prints every class's probability (the
    /// library's numbers), evaluate a 3×3 confusion matrix with precision and recall, info the
    /// network; a tanh layer and a decay schedule are recorded.
    @Test("three classes: train, predict, evaluate and info")
    func threeClasses() throws {
        let directory = temporaryDirectory()
        var rows = ["x1,x2,label"]
        var rng = NumPyRandom(seed: 6)
        for i in 0..<60 {
            let c = i % 3, noise = rng.randn(2, 1)
            rows.append("\(Double(c * 3) + noise[0, 0]),\(Double(c % 2) * 4 + noise[1, 0]),\(c)")
        }
        FileManager.default.createFile(
            atPath: directory + "/three.csv", contents: Data((rows.joined(separator: "\n") + "\n").utf8))
        let train = try CommandRunner.run(
            [
                "train", "--train", "three.csv", "--layers", "6:tanh,4", "--iterations", "200", "--learning-rate",
                "0.1",
                "--decay", "inverse-time", "--decay-rate", "0.01", "--print-every", "100", "--output", "m.json",
            ], in: directory)
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("Training [2, 6, 4, 3] on 60 examples"))
        #expect(train.stdout.contains("learning rate after iteration 100: "))
        let model = try DeepNeuralNetwork(contentsOf: directory + "/m.json")
        #expect(model.network.head == .softmax && model.network.activations == [.tanh, .relu])
        #expect(model.training?.schedule == .inverseTime(rate: 0.01))
        let data = try Dataset.load(directory + "/three.csv")
        let (probabilities, labels) = try model.predict(data.X)

        let predict = try CommandRunner.run(["predict", "--model", "m.json", "--data", "three.csv"], in: directory)
        #expect(predict.status == 0, "\(predict.stderr)")
        let lines = predict.stdout.split(separator: "\n")
        #expect(lines[0] == "example,label,class,probability 0,probability 1,probability 2")
        #expect(lines.count == 61)
        #expect(
            lines[1]
                == "0,\(Int(labels[0, 0])),\(Int(labels[0, 0])),\(probabilities[0, 0]),\(probabilities[1, 0]),\(probabilities[2, 0])"
        )

        let evaluate = try CommandRunner.run(["evaluate", "--model", "m.json", "--data", "three.csv"], in: directory)
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
        #expect(evaluate.stdout.contains("predicted 0  predicted 1  predicted 2"))
        #expect(evaluate.stdout.contains("class             examples  correct  precision  recall  F1"))
        #expect(evaluate.stdout.contains("macro average") && evaluate.stdout.contains("weighted average"))

        let info = try CommandRunner.run(["info", "--model", "m.json"], in: directory)
        #expect(info.stdout.contains("hidden activations [\"tanh\", \"relu\"], output softmax"))
        #expect(info.stdout.contains("learning-rate decay: inverse-time (rate 0.01)"))
    }

    @Test("info, predict and evaluate on a trained model")
    func useModel() throws {
        let directory = temporaryDirectory()
        let csv = "x1,x2,label\n0.5,1.5,1\n-1,2,0\n3,-0.25,1\n"
        FileManager.default.createFile(atPath: directory + "/points.csv", contents: Data(csv.utf8))
        let train = try CommandRunner.run(
            [
                "train", "--train", "points.csv", "--layers", "4", "--iterations", "50", "--output", "m.json", "--log",
                "c.jsonl",
            ],
            in: directory)
        #expect(train.status == 0, "\(train.stderr)")
        #expect(
            try String(contentsOfFile: directory + "/c.jsonl", encoding: .utf8).hasPrefix("{\"iteration\":0,\"cost\":"))

        let info = try CommandRunner.run(["info", "--model", "m.json"], in: directory)
        #expect(info.status == 0)
        #expect(info.stdout.contains("layers: [2, 4, 1]"))
        #expect(info.stdout.contains("Shape of W"))
        #expect(info.stdout.contains("(4, 2)"))
        #expect(info.stdout.contains("Total"))
        #expect(info.stdout.contains("17"))  // 4·(2+1) + 1·(4+1)

        let model = try DeepNeuralNetwork(contentsOf: directory + "/m.json")
        let data = try Dataset.load(directory + "/points.csv")
        let (probabilities, labels) = try model.predict(data.X)
        let predict = try CommandRunner.run(["predict", "--model", "m.json", "--data", "points.csv"], in: directory)
        #expect(predict.status == 0)
        let expected =
            "example,probability,label,class\n"
            + (0..<3).map { "\($0),\(probabilities[0, $0]),\(Int(labels[0, $0])),\(Int(labels[0, $0]))\n" }.joined()
        #expect(predict.stdout == expected)
        let written = try CommandRunner.run(
            ["predict", "--model", "m.json", "--data", "points.csv", "--output", "p.csv"], in: directory)
        #expect(written.status == 0)
        #expect(try String(contentsOfFile: directory + "/p.csv", encoding: .utf8) == expected)

        let evaluate = try CommandRunner.run(["evaluate", "--model", "m.json", "--data", "points.csv"], in: directory)
        #expect(evaluate.status == 0)
        let accuracy = try model.accuracy(data.X, data.Y)
        #expect(evaluate.stdout.hasPrefix("Accuracy: \(accuracy)"))
        #expect(evaluate.stdout.contains("predicted 0"))
        #expect(evaluate.stdout.contains("actual 1"))
    }

    @Test(
        "usage errors exit with status 2 and write nothing",
        arguments: [
            (["train", "--layers", "20,x"], "The value '20,x' is invalid for '--layers <layers>'"),
            (["train", "--layers", "0"], "The value '0' is invalid for '--layers <layers>'"),
            (["train", "--learning-rate=-1"], "--learning-rate -1.0: must be a positive number"),
            (["train", "--learning-rate", "-1"], "dnn: --learning-rate: -1 is not allowed (a negative number)"),
            (["train", "--learning-rate", "nan"], "--learning-rate nan: must be a positive number"),
            (["train", "--iterations", "0"], "--iterations 0: must be at least 1"),
            (["train", "--iterations", "many"], "The value 'many' is invalid for '--iterations <iterations>'"),
            (["train", "--print-every", "0"], "--print-every 0: must be at least 1"),
            (["train", "--init", "gaussian"], "The value 'gaussian' is invalid for '--init <init>'"),
            (["train", "--log", "costs.txt"], "--log costs.txt: the name must end in .csv or .jsonl"),
            (["train", "--colour"], "Unknown option '--colour'"),
            (["info"], "give either --model FILE or --data FILE"),
            (["predict", "--model", "m.json"], "give either --data FILE or --image PHOTO"),
            (["train", "--keep-prob", "0"], "--keep-prob 0.0: must be in (0, 1]"),
            (["train", "--keep-prob", "1.5"], "--keep-prob 1.5: must be in (0, 1]"),
            (["train", "--l2=-1"], "--l2 -1.0: must be 0 or more"),
            (["train", "--mini-batch-size", "0"], "--mini-batch-size 0: must be at least 1"),
            (
                ["train", "--optimizer", "adagrad"],
                "--optimizer adagrad: unknown optimizer 'adagrad'; expected one of gd, momentum, adam, rmsprop"
            ),
            (
                ["train", "--layers", "20:tahn"],
                "--layers 20:tahn: unknown activation 'tahn'; expected one of relu, leaky-relu, tanh, sigmoid, identity"
            ),
            (
                ["train", "--activation", "softplus"],
                "--activation: unknown activation 'softplus'; expected one of relu, leaky-relu, tanh, sigmoid, identity"
            ),
            (
                ["train", "--decay", "cosine"],
                "--decay cosine: unknown schedule 'cosine'; expected one of none, inverse-time, scheduled"
            ),
            (["train", "--decay", "inverse-time", "--decay-rate=-1"], "--decay-rate -1.0: must be 0 or more"),
            (["train", "--decay", "scheduled", "--decay-interval", "0"], "--decay-interval 0: must be at least 1"),
            (
                ["train", "--layers", "20:leaky-relu(1.5)"],
                "--layers 20:leaky-relu(1.5): leaky-relu slope 1.5: must be in [0, 1)"
            ),
            (["train", "--beta", "1"], "--beta 1.0: must be in [0, 1)"),
            (["train", "--beta1=-0.1"], "--beta1 -0.1: must be in [0, 1)"),
            (["train", "--beta2", "1"], "--beta2 1.0: must be in [0, 1)"),
            (["train", "--epsilon", "0"], "--epsilon 0.0: must be positive"),
            (
                ["train", "--epochs", "10"],
                "--epochs goes with --mini-batch-size; full-batch training counts --iterations"
            ),
            (
                ["train", "--dropout-seeding", "daily"],
                "The value 'daily' is invalid for '--dropout-seeding <dropout-seeding>'"
            ),
            (
                ["predict", "--model", "m.json", "--data", "a.csv", "--image", "p.jpg"],
                "give either --data FILE or --image PHOTO"
            ),
            (["train", "--precision", "float16"], "The value 'float16' is invalid for '--precision <precision>'"),
            (["train", "--engine", "fast"], "The value 'fast' is invalid for '--engine <engine>'"),
            (["train", "--threads", "0"], "--threads 0: must be at least 1"),
            (["train", "--threads", "two"], "The value 'two' is invalid for '--threads <threads>'"),
            (["bench", "--shape", "12288"], "--shape 12288: expected two positive sizes, e.g. 12288x209"),
            (["bench"], "give either --train FILE or --shape FEATURESxEXAMPLES"),
            (
                ["bench", "--shape", "4x10", "--parallel", "many"],
                "The value 'many' is invalid for '--parallel <parallel>'"
            ),
        ])
    func usageErrors(arguments: [String], message: String) throws {
        let directory = temporaryDirectory()
        let result = try CommandRunner.run(
            arguments + ["--output", "model.json"].filter { _ in arguments[0] == "train" }, in: directory)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.hasPrefix("dnn: ") && result.stderr.filter { $0 == "\n" }.count == 1, "one line")
        #expect(result.stderr.count <= 210)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test(
        "runtime errors exit with status 1, say what is wrong in one line, and write nothing",
        arguments: [
            (["train", "--train", "missing.h5"], "dnn: missing.h5: no such file\n"),
            (["train", "--train", "ragged.csv"], "dnn: ragged.csv:3: 1 fields, but the header has 3\n"),
            (
                ["train", "--train", "wide.csv", "--test", "points.csv"],
                "dnn: points.csv: no column named 'a', one the model's features are made from\n"
            ),
            (
                ["train", "--learning-rate", "1e300", "--iterations", "50"],
                "dnn: training stopped: the cost became NaN at iteration 1\n"
            ),
            (
                ["train", "--learning-rate", "1e6", "--iterations", "50"],
                "dnn: training stopped: the cost has been infinite since iteration 1 (the steps diverge; try a smaller learning rate)\n"
            ),
            // Mini-batches diverge within the first epoch: its cost is already infinite.
            (
                [
                    "train", "--learning-rate", "1e6", "--mini-batch-size", "64", "--epochs", "30", "--optimizer",
                    "adam",
                ],
                "dnn: training stopped: the cost has been infinite since epoch 0 (the steps diverge; try a smaller learning rate)\n"
            ),
            (
                ["train", "--output", "no/such/dir/model.json"],
                "dnn: no/such/dir/model.json: cannot write, no such directory no/such/dir\n"
            ),
            (
                ["train", "--mini-batch-size", "500"],
                "dnn: mini-batch size 500: must be between 1 and the 400 examples\n"
            ),
            (
                ["train", "--engine", "dual", "--optimizer", "adam"],
                "dnn: the dual engine cannot follow Adam (its updates leave the span of Xᵀ); use --engine direct\n"
            ),
            (
                ["train", "--train", "one-class.csv"],
                "dnn: one-class.csv: every example has label 0; a classifier needs two classes or more\n"
            ),
            (
                ["train", "--train", "two.csv", "--test", "three.csv"],
                "dnn: three.csv: class '2' is not one of the training data's classes (0, 1)\n"
            ),
            (
                ["predict", "--model", "swish.json", "--data", "two.csv"],
                "dnn: swish.json: unknown activation 'swish'; expected one of relu, leaky-relu, tanh, sigmoid, identity\n"
            ),
        ])
    func runtimeErrors(arguments: [String], message: String) throws {
        let directory = temporaryDirectory()
        for (name, text) in [
            ("ragged.csv", "x1,x2,label\n1,2,0\n3\n"), ("points.csv", "x1,x2,label\n1,2,0\n"),
            ("wide.csv", "a,b,c,label\n1,2,3,0\n4,5,6,1\n"), ("one-class.csv", "x1,x2,label\n1,2,0\n3,4,0\n"),
            ("three.csv", "x1,x2,label\n1,2,0\n3,4,2\n"), ("two.csv", "x1,x2,label\n1,2,0\n3,4,1\n"),
            (
                "swish.json",
                #"{"format":"swift-dnn-model","version":2,"layerSizes":[2,3,1],"activations":["swish"],"head":"sigmoid","#
                    + #""classNames":["0","1"],"parameters":[{"W":[[1,2],[3,4],[5,6]],"b":[[0],[0],[0]]},"#
                    + #"{"W":[[1,2,3]],"b":[[0]]}]}"#
            ),
        ] {
            FileManager.default.createFile(atPath: directory + "/" + name, contents: Data(text.utf8))
        }
        let before = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        let output = arguments.contains("--output") ? [] : ["--output", "model.json"]
        let result = try CommandRunner.run(arguments + output, in: directory)
        #expect(result.status == 1)
        #expect(result.stderr == message)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == before)
    }

    @Test("a model whose input does not fit the data is a runtime error")
    func mismatchedModel() throws {
        let directory = temporaryDirectory()
        FileManager.default.createFile(
            atPath: directory + "/wide.csv", contents: Data("a,b,c,label\n1,2,3,0\n".utf8))
        let model = try DeepNeuralNetwork(layerSizes: [2, 3, 1])
        try model.save(to: directory + "/m.json")
        for command in ["predict", "evaluate"] {
            let result = try CommandRunner.run([command, "--model", "m.json", "--data", "wide.csv"], in: directory)
            #expect(result.status == 1)
            #expect(result.stderr == "dnn: wide.csv: 3 features per example, but the model takes 2\n")
        }
        FileManager.default.createFile(atPath: directory + "/bad.json", contents: Data("{\"format\":".utf8))
        let damaged = try CommandRunner.run(["info", "--model", "bad.json"], in: directory)
        #expect(damaged.status == 1)
        #expect(damaged.stderr == "dnn: bad.json: not a model file, or damaged or truncated (not valid JSON)\n")
    }

    @Test("bench prints its figures; a forced dual engine too large for memory is refused before any work")
    func bench() throws {
        let result = try CommandRunner.run(["bench", "--shape", "300x50", "--iterations", "20", "--engine", "dual"])
        #expect(result.status == 0, "\(result.stderr)")
        for text in [
            "[300, 20, 7, 5, 1] on 50 examples", "engine: dual", "ms per iteration", "GFLOP/s", "GB/s effective over X",
        ] {
            #expect(result.stdout.contains(text))
        }
        let json = try CommandRunner.run(["bench", "--shape", "300x50", "--iterations", "20", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["engine"] as? String == "dual" || object?["engine"] as? String == "direct")
        let tooLarge = try CommandRunner.run(["bench", "--shape", "2x300000", "--engine", "dual", "--iterations", "1"])
        #expect(tooLarge.status == 1)
        #expect(tooLarge.stderr.hasPrefix("dnn: the dual engine needs 720.1 GB for the 300000×300000 Gram matrix"))
    }

    @Test("bench takes train's network, optimiser and mini-batch options, and times each product alone")
    func benchMiniBatches() throws {
        let result = try CommandRunner.run([
            "bench", "--shape", "20x300", "--layers", "8:tanh", "--mini-batch-size", "64", "--epochs", "3",
            "--optimizer", "adam", "--learning-rate", "0.01", "--print-every", "1", "--products", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let costs = try #require(object["costs"] as? [[Double]])
        #expect(costs.map { $0[0] } == [0, 1, 2])
        // Adam on a learnable problem lowers the cost epoch by epoch.
        #expect(costs[2][1] < costs[0][1])
        let products = try #require(object["products"] as? [[String: Any]])
        #expect(
            products.compactMap { $0["name"] as? String } == [
                "square product", "Z1 = W1·X", "dW1 = dZ1·Xᵀ", "Z2 = W2·A1", "dW2 = dZ2·A1ᵀ", "dA1 = W2ᵀ·dZ2",
            ])
        #expect(products.allSatisfy { ($0["gflops"] as? Double ?? 0) > 0 })
        let text = try CommandRunner.run([
            "bench", "--shape", "20x300", "--layers", "8", "--mini-batch-size", "64", "--epochs", "2",
        ])
        #expect(text.stdout.contains("2 epochs of mini-batches of 64"), "\(text.stdout)")
        #expect(text.stdout.contains("ms per epoch"))
        let misuse = try CommandRunner.run(["bench", "--shape", "20x300", "--epochs", "2"])
        #expect(misuse.status == 2)
        #expect(misuse.stderr.contains("--epochs goes with --mini-batch-size"))
    }

    @Test("train takes --engine, --precision and --threads, and records them")
    func engineOptions() throws {
        let directory = temporaryDirectory()
        let result = try CommandRunner.run(
            [
                "train", "--iterations", "30", "--engine", "dual", "--precision", "float32", "--threads", "1",
                "--output", "m.json",
            ],
            in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let model = try DeepNeuralNetwork(contentsOf: directory + "/m.json")
        #expect(model.training?.engine == .dual)
        #expect(model.training?.precision == .float32)
    }

    @Test("predict --image classifies a photo with a 64x64x3 model")
    func predictImage() throws {
        let directory = temporaryDirectory()
        var model = try DeepNeuralNetwork(layerSizes: [12288, 3, 1], classNames: ["non-cat", "cat"])
        model.inputShape = [64, 64, 3]
        try model.save(to: directory + "/m.json")
        let photo = fixture("photo.jpg")
        let result = try CommandRunner.run(["predict", "--model", "m.json", "--image", photo], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let (label, probabilities) = try model.predictImage(atPath: photo)
        #expect(result.stdout == "\(photo): \(model.classNames[label]) (probability of cat: \(probabilities[1]))\n")
    }

    @Test(
        "bad pictures, a model that takes no pictures, a report in a missing directory: exit 1, nothing written",
        arguments: [
            (
                ["predict", "--model", "image.json", "--image", "text.jpg"],
                "text.jpg: not an image that can be read (unknown image type)"
            ),
            (
                ["predict", "--model", "image.json", "--image", "truncated.jpg"],
                "truncated.jpg: truncated JPEG (no end-of-image marker)"
            ),
            (
                ["predict", "--model", "image.json", "--image", "truncated.png"],
                "truncated.png: truncated PNG (no IEND chunk)"
            ),
            (["predict", "--model", "image.json", "--image", "absent.jpg"], "absent.jpg: no such file"),
            (
                ["predict", "--model", "points.json", "--image", "photo.jpg"],
                "points.json: the model takes 2 features, not a 64x64x3 picture (12288); pictures need an image model"
            ),
            (
                ["train", "--iterations", "5", "--report", "missing/report.html"],
                "missing/report.html: cannot write, no such directory missing"
            ),
            (
                ["evaluate", "--model", "points.json", "--data", "points.csv", "--report", "missing/r.html"],
                "missing/r.html: cannot write, no such directory missing"
            ),
            (
                ["train", "--train", "wide.csv", "--boundary-plot", "b.svg"],
                "--boundary-plot needs two features; the training data has 3"
            ),
        ])
    func badPictures(arguments: [String], message: String) throws {
        let directory = temporaryDirectory()
        for name in ["text.jpg", "truncated.jpg", "truncated.png", "photo.jpg"] {
            try FileManager.default.copyItem(atPath: fixture(name), toPath: directory + "/" + name)
        }
        FileManager.default.createFile(atPath: directory + "/points.csv", contents: Data("x1,x2,label\n1,2,0\n".utf8))
        FileManager.default.createFile(atPath: directory + "/wide.csv", contents: Data("a,b,c,label\n1,2,3,0\n".utf8))
        var image = try DeepNeuralNetwork(layerSizes: [12288, 3, 1])
        image.inputShape = [64, 64, 3]
        try image.save(to: directory + "/image.json")
        try DeepNeuralNetwork(layerSizes: [2, 3, 1]).save(to: directory + "/points.json")
        let before = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        let result = try CommandRunner.run(arguments, in: directory)
        #expect(result.status == 1)
        #expect(result.stderr == "dnn: \(message)\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == before)
    }

    @Test("gradcheck prints the course's relative differences and verdict; bad settings and models are refused")
    func gradcheck() throws {
        let result = try CommandRunner.run(["gradcheck", "--layers", "20,3", "--l2", "0.5"])
        #expect(result.status == 0, "\(result.stderr)")
        for text in [
            "Gradient check of [2, 20, 3, 1] on 400 examples", "L2 λ 0.5", "W1 ", "b3 ", "all ",
            "Your backward propagation works perfectly fine!",
        ] {
            #expect(result.stdout.contains(text), "missing \(text)")
        }
        let usage = try CommandRunner.run(["gradcheck", "--keep-prob", "2"])
        #expect(usage.status == 2 && usage.stderr.contains("--keep-prob 2.0: must be in (0, 1]"))
        let directory = temporaryDirectory()
        FileManager.default.createFile(atPath: directory + "/bad.json", contents: Data("{}".utf8))
        let damaged = try CommandRunner.run(["gradcheck", "--model", "bad.json"], in: directory)
        #expect(damaged.status == 1)
        #expect(damaged.stderr == "dnn: bad.json: not a swift-dnn model file (its format is not given)\n")
    }

    @Test("train --resume continues a saved model exactly where it stopped")
    func resume() throws {
        let directory = temporaryDirectory()
        let common = [
            "--layers", "5", "--init", "he", "--mini-batch-size", "64", "--optimizer", "adam", "--learning-rate",
            "0.01",
        ]
        let straight = try CommandRunner.run(
            ["train", "--epochs", "20", "--output", "straight.json"] + common, in: directory)
        let first = try CommandRunner.run(["train", "--epochs", "10", "--output", "half.json"] + common, in: directory)
        let second = try CommandRunner.run(
            ["train", "--epochs", "10", "--resume", "half.json", "--output", "resumed.json"] + common, in: directory)
        #expect(straight.status == 0 && first.status == 0 && second.status == 0, "\(second.stderr)")
        let a = try DeepNeuralNetwork(contentsOf: directory + "/straight.json")
        let b = try DeepNeuralNetwork(contentsOf: directory + "/resumed.json")
        #expect(a.parameters == b.parameters)
        #expect(b.training?.iterations == 20)
        let mismatch = try CommandRunner.run(
            ["train", "--train", fixture("tiny_images.h5"), "--resume", "half.json"], in: directory)
        #expect(mismatch.status == 1)
        #expect(mismatch.stderr.contains("12 features per example, but the model takes 2"))
    }

    @Test("--help explains the commands")
    func help() throws {
        let result = try CommandRunner.run(["--help"])
        #expect(result.status == 0)
        for word in ["train", "predict", "evaluate", "info", "bench", "gradcheck", "Exit status"] {
            #expect(result.stdout.contains(word))
        }
        let train = try CommandRunner.run(["train", "--help"])
        #expect(train.stdout.contains("--learning-rate"))
        #expect(train.stdout.contains("0.0075") && train.stdout.contains("--preset <preset>"))
    }
}
