package dev.reflex.stepfunctions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void canonical_whenTreeIsParsed_isTheSameTree() throws Exception {
        JsonNode parsed = Json.parse("{\"a\":[1,2.50,1E+3,\"x\",true,null],\"b\":{\"c\":12345678901,\"d\":123456789012345678901234}}");

        assertThat(Json.canonical(parsed)).isSameAs(parsed);
    }

    @Test
    void canonical_whenTreeHoldsOtherNumberTypes_isWhatItsTextParsesTo() throws Exception {
        ObjectNode built = JsonNodeFactory.instance.objectNode()
                .put("decimalFive", new BigDecimal("5"))
                .put("longFive", 5L)
                .put("double", 0.1)
                .put("bigInteger", BigInteger.TEN);
        JsonNode expected = Json.parse(Json.write(built));

        JsonNode canonical = Json.canonical(built);

        assertThat(canonical).isEqualTo(expected);
        assertThat(canonical.get("decimalFive").isInt()).isTrue();
        assertThat(canonical.get("longFive").isInt()).isTrue();
        assertThat(canonical.get("double").isBigDecimal()).isTrue();
        assertThat(Json.write(canonical)).isEqualTo(Json.write(built));
    }

    @Test
    void canonicalCopy_isANewTree_soChangingItLeavesTheOriginal() throws Exception {
        JsonNode original = Json.parse("{\"a\":{\"b\":[1]}}");

        JsonNode copy = Json.canonicalCopy(original);
        ((ArrayNode) copy.get("a").get("b")).add(2);

        assertThat(copy).isNotSameAs(original);
        assertThat(Json.write(original)).isEqualTo("{\"a\":{\"b\":[1]}}");
    }

    @Test
    void exceeds_agreesWithTheWrittenSize_forNumbersOfEveryType() {
        List<JsonNode> samples = List.of(JsonNodeFactory.instance.numberNode(new BigDecimal("1E+300")),
                JsonNodeFactory.instance.numberNode(new BigDecimal("-0.000001")), JsonNodeFactory.instance.numberNode(BigInteger.TEN.pow(40)),
                JsonNodeFactory.instance.numberNode(Long.MIN_VALUE), JsonNodeFactory.instance.numberNode(Integer.MIN_VALUE),
                JsonNodeFactory.instance.numberNode((short) -300), JsonNodeFactory.instance.numberNode(-1.2345678901234567E-300),
                JsonNodeFactory.instance.numberNode(Double.NaN), JsonNodeFactory.instance.numberNode(Float.MAX_VALUE));
        for (JsonNode sample : samples) {
            // one type per array, so that no other type's bound can hide a bound that is too low
            ArrayNode numbers = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < 50; i++) numbers.add(sample);
            int size = Json.utf8Size(numbers);
            for (int limit = size - 2; limit <= size + 2; limit++) {
                assertThat(Json.exceeds(numbers, limit)).as("%s at limit %d (size %d)", sample, limit, size).isEqualTo(size > limit);
            }
        }
    }

    @Test
    void exceeds_agreesWithTheWrittenSize_forEscapedAndMultiByteText() {
        String[] samples = {"plain ascii", "tab\tnew\nline\u0001bell", "quote\" back\\slash", "é ü 漢字", "emoji 😀 pair", "lone \ud800 surrogate"};
        for (String sample : samples) {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("k" + sample, sample.repeat(50));
            node.putArray("list").add(sample).add(12).addNull().add(true).add(new BigDecimal("1.25"))
                    .add(new BigDecimal("1E+300")).add(BigInteger.TEN.pow(40)).add(0.1d).add(-1.2345678901234567E-300).add(Double.NaN).add(3.5f);
            int size = Json.utf8Size(node);
            for (int limit = size - 2; limit <= size + 2; limit++) {
                assertThat(Json.exceeds(node, limit)).as("%s at limit %d (size %d)", sample, limit, size).isEqualTo(size > limit);
            }
        }
    }
}
