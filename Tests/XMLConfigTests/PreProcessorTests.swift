import TestSupport
import Testing
import XMLConfig

struct PreProcessorTests {
    @Test func includesAreSplicedRelativeToTheIncludingFileWithNestingAndGlobs() throws {
        let tree = try TemporaryTree([
            "top.xml": """
            <profile name="p">
              <gateways>
                <X-PRE-PROCESS cmd="include" data="p/*.xml"/>
              </gateways>
            </profile>
            """,
            "p/a.xml": "<include><gateway name=\"a\"/><X-PRE-PROCESS cmd=\"include\" data=\"deeper/c.xml\"/></include>",
            "p/b.xml": "<gateway name=\"b\"/>",
            "p/deeper/c.xml": "<include><gateway name=\"c\"/></include>",
        ])
        var preProcessor = PreProcessor()
        let roots = preProcessor.load(file: tree.path("top.xml"))
        #expect(preProcessor.diagnostics.isEmpty)
        let gateways = roots.first?.child(named: "gateways")?.children(named: "gateway") ?? []
        #expect(gateways.map { $0[attribute: "name"] } == ["a", "c", "b"])
        #expect(gateways[1].location.file.hasSuffix("p/deeper/c.xml"))
        #expect(gateways[1].location.line == 1)
    }

    @Test func setDefinesVariablesForWhatFollows() throws {
        let tree = try TemporaryTree([
            "vars.xml": "<include><X-PRE-PROCESS cmd=\"set\" data=\"ip=127.0.0.2\"/></include>",
            "a.xml": """
            <settings>
              <X-PRE-PROCESS cmd="set" data="port=5080"/>
              <param name="sip-ip" value="$${ip}"/>
              <param name="sip-port" value="$${port}"/>
              <X-PRE-PROCESS cmd="set" data="both=$${ip}:$${port}"/>
              <param name="address" value="[$${both}]"/>
              <param name="none" value="x$${undefined}y"/>
            </settings>
            """,
        ])
        var preProcessor = PreProcessor()
        _ = preProcessor.load(file: tree.path("vars.xml"))
        let settings = preProcessor.load(file: tree.path("a.xml"))[0]
        #expect(settings.children.map { $0[attribute: "value"] } == ["127.0.0.2", "5080", "[127.0.0.2:5080]", "xy"])
        #expect(preProcessor.diagnostics.count == 1)
        #expect(preProcessor.diagnostics[0].severity == .warning)
        #expect(preProcessor.diagnostics[0].description.contains("a.xml:7: <param name=\"none\">: undefined pre-processor variable $${undefined}"))
    }

    @Test func unclosedTagIsAnErrorWithItsLine() throws {
        let tree = try TemporaryTree(["bad.xml": "<configuration name=\"x\">\n  <lists>\n    <list name=\"a\">\n</configuration>\n"])
        var preProcessor = PreProcessor()
        #expect(preProcessor.load(file: tree.path("bad.xml")).isEmpty)
        let error = try #require(preProcessor.diagnostics.first)
        #expect(error.severity == .error)
        #expect(error.location?.file.hasSuffix("bad.xml") == true)
        #expect(error.location?.line == 4)
        #expect(error.message.hasPrefix("malformed XML: "))
    }

    @Test func emptyFileIsAnError() throws {
        let tree = try TemporaryTree(["empty.xml": ""])
        var preProcessor = PreProcessor()
        #expect(preProcessor.load(file: tree.path("empty.xml")).isEmpty)
        #expect(preProcessor.diagnostics.map(\.message) == ["malformed XML: the file is empty"])
    }

    @Test func includeGlobMatchingNothingIsAWarning() throws {
        let tree = try TemporaryTree(["a.xml": "<gateways>\n<X-PRE-PROCESS cmd=\"include\" data=\"none/*.xml\"/>\n</gateways>"])
        var preProcessor = PreProcessor()
        let roots = preProcessor.load(file: tree.path("a.xml"))
        #expect(roots.count == 1)
        #expect(preProcessor.diagnostics.map(\.severity) == [.warning])
        #expect(preProcessor.diagnostics[0].description.hasSuffix("a.xml:2: <X-PRE-PROCESS cmd=\"include\">: include \"none/*.xml\" matches no file"))
    }

    @Test func includeOfAMissingFileIsAnError() throws {
        let tree = try TemporaryTree(["a.xml": "<gateways><X-PRE-PROCESS cmd=\"include\" data=\"missing.xml\"/></gateways>"])
        var preProcessor = PreProcessor()
        _ = preProcessor.load(file: tree.path("a.xml"))
        #expect(preProcessor.diagnostics.map(\.severity) == [.error])
        #expect(preProcessor.diagnostics[0].message.contains("missing.xml"))
    }

    @Test func includeCycleIsAnError() throws {
        let tree = try TemporaryTree([
            "a.xml": "<include><X-PRE-PROCESS cmd=\"include\" data=\"b.xml\"/></include>",
            "b.xml": "<include>\n<X-PRE-PROCESS cmd=\"include\" data=\"a.xml\"/></include>",
        ])
        var preProcessor = PreProcessor()
        _ = preProcessor.load(file: tree.path("a.xml"))
        let error = try #require(preProcessor.diagnostics.first)
        #expect(preProcessor.diagnostics.count == 1)
        #expect(error.severity == .error)
        #expect(error.location?.file.hasSuffix("b.xml") == true)
        #expect(error.location?.line == 2)
        #expect(error.message.hasPrefix("include cycle: "))
    }

    @Test func unreadableFileIsAnError() throws {
        let tree = try TemporaryTree(["dir.xml/inside": "x"])
        var preProcessor = PreProcessor()
        #expect(preProcessor.load(file: tree.path("dir.xml")).isEmpty)
        #expect(preProcessor.load(file: tree.path("absent.xml")).isEmpty)
        #expect(preProcessor.diagnostics.map(\.severity) == [.error, .error])
        #expect(preProcessor.diagnostics[1].message.contains("No such file"))
    }

    @Test func directiveWithoutItsAttributesIsAnError() throws {
        let tree = try TemporaryTree(["a.xml": "<x>\n<X-PRE-PROCESS cmd=\"include\"/>\n<X-PRE-PROCESS data=\"a=b\"/>\n<X-PRE-PROCESS cmd=\"exec-set\" data=\"a=b\"/></x>"])
        var preProcessor = PreProcessor()
        _ = preProcessor.load(file: tree.path("a.xml"))
        #expect(preProcessor.diagnostics.map(\.severity) == [.error, .error, .warning])
        #expect(preProcessor.diagnostics[0].description.hasSuffix(":2: <X-PRE-PROCESS cmd=\"include\">: missing attribute \"data\""))
    }

    @Test func pathsReadTheWayTheyWereTyped() {
        #expect(PreProcessor.normalize("./conf//a/./b.xml") == "conf/a/b.xml")
        #expect(PreProcessor.normalize("/etc/x.xml") == "/etc/x.xml")
    }
}
