import APICommands
import Dialplan
import Testing

struct ApplicationTests {
    @Test func setUnsetAndExport() throws {
        let fixture = try DialplanFixture("""
            <extension name="a"><condition>
              <action application="set" data="a=1"/>
              <action application="set" data="b=2"/>
              <action application="unset" data="b"/>
              <action application="set" data="c="/>
              <action application="export" data="leg=x"/>
              <action application="export" data="nolocal:only_b=y"/>
              <action application="set" data="copy=${a}-${leg}-${only_b}"/>
            </condition></extension>
            """)
        let (session, _, _) = fixture.call("1")
        #expect(session.variables["a"] == "1")
        #expect(session.variables["b"] == nil)
        #expect(session.variables["c"] == nil)
        #expect(session.exports == ["leg": "x", "only_b": "y"])
        #expect(session.variables["copy"] == "1-x-")
    }

    @Test func hangupRespondAndTheActionsAfterThemNeverRun() throws {
        let fixture = try DialplanFixture("""
            <extension name="busy"><condition field="destination_number" expression="^1$"><action application="hangup" data="USER_BUSY"/><action application="set" data="after=1"/></condition></extension>
            <extension name="num"><condition field="destination_number" expression="^2$"><action application="hangup" data="17"/></condition></extension>
            <extension name="plain"><condition field="destination_number" expression="^3$"><action application="hangup"/></condition></extension>
            <extension name="respond"><condition field="destination_number" expression="^4$"><action application="respond" data="486 Busy Here"/></condition></extension>
            """)
        let busy = fixture.call("1")
        #expect(busy.1 == .hangup(.userBusy))
        #expect(busy.0.variables["after"] == nil)
        #expect(fixture.call("2").1 == .hangup(.userBusy))
        #expect(fixture.call("3").1 == .hangup(.normalClearing))
        #expect(fixture.call("4").1 == .respond(status: 486, reason: "Busy Here"))
    }

    @Test func unknownApplicationHangsUpDestinationOutOfOrder() throws {
        let fixture = try DialplanFixture("""
            <extension name="a"><condition><action application="set" data="a=1"/><action application="bridgex" data="x"/><action application="set" data="b=1"/></condition></extension>
            """)
        let (session, outcome, _) = fixture.call("1")
        #expect(outcome == .hangup(.destinationOutOfOrder))
        #expect(outcome.cause.rawValue == 27)
        #expect(session.variables["b"] == nil)
    }

    @Test func transferHuntsAgainWithTheNewDestinationAndContext() throws {
        let fixture = try DialplanFixture("""
            <extension name="start"><condition field="destination_number" expression="^1$"><action application="transfer" data="2000 XML other"/><action application="set" data="skipped=1"/></condition></extension>
            <extension name="same"><condition field="destination_number" expression="^5$"><action application="transfer" data="2000"/></condition></extension>
            <extension name="here"><condition field="destination_number" expression="^2000$"><action application="set" data="where=default"/></condition></extension>
            """, otherFiles: ["dialplan/other.xml": """
            <include><context name="other"><extension name="there"><condition field="destination_number" expression="^2000$"><action application="set" data="where=other ${destination_number}"/></condition></extension></context></include>
            """])
        let (transferred, _, _) = fixture.call("1")
        #expect(transferred.variables["where"] == "other 2000")
        #expect(transferred.variables["skipped"] == nil)
        #expect(transferred.caller.context == "other")
        let (session, _, _) = fixture.call("5")
        #expect(session.variables["where"] == "default")
        #expect(session.caller.destinationNumber == "2000")
    }

    @Test func transferLoopsAreBounded() throws {
        let fixture = try DialplanFixture("""
            <extension name="loop"><condition><action application="transfer" data="1"/></condition></extension>
            """)
        #expect(fixture.call("1").1 == .hangup(.exchangeRoutingError))
    }

    @Test func distributorApplicationSetsDistributorOnlyOnSuccess() throws {
        let commands = CommandRegistry()
        commands.register(APICommand(name: "distributor", syntax: "", summary: "") { $0.hasPrefix("2gw") ? "gw1" : "-err" })
        let fixture = try DialplanFixture("""
            <extension name="a"><condition>
              <action application="distributor" data="2gw"/>
              <action application="set" data="first=${DISTRIBUTOR}"/>
              <action application="distributor" data="nosuch"/>
              <action application="set" data="second=${DISTRIBUTOR}"/>
            </condition></extension>
            """, commands: commands)
        let (session, _, _) = fixture.call("1")
        #expect(session.variables["first"] == "gw1")
        #expect(session.variables["second"] == "gw1")
    }

    @Test func expansionCanBeTurnedOff() throws {
        let fixture = try DialplanFixture("""
            <extension name="a"><condition><action application="set" data="app_disable_expand_variables=true"/><action application="bridge" data="${x}"/></condition></extension>
            """)
        #expect(fixture.call("1", variables: ["x": "1"]).2 == ["bridge(${x})"])
    }
}
