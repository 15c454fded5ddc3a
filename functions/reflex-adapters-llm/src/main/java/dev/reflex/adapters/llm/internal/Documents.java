package dev.reflex.adapters.llm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkNumber;
import software.amazon.awssdk.core.document.Document;

/** Converts between Jackson trees and the AWS SDK's {@link Document}. */
public final class Documents {

  private Documents() {}

  public static Document toDocument(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return Document.fromNull();
    }
    if (node.isObject()) {
      Map<String, Document> map = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        map.put(field.getKey(), toDocument(field.getValue()));
      }
      return Document.fromMap(map);
    }
    if (node.isArray()) {
      List<Document> list = new ArrayList<>();
      node.forEach(element -> list.add(toDocument(element)));
      return Document.fromList(list);
    }
    if (node.isBoolean()) {
      return Document.fromBoolean(node.booleanValue());
    }
    if (node.isIntegralNumber()) {
      return Document.fromNumber(SdkNumber.fromBigInteger(node.bigIntegerValue()));
    }
    if (node.isNumber()) {
      return Document.fromNumber(SdkNumber.fromBigDecimal(node.decimalValue()));
    }
    return Document.fromString(node.asText());
  }

  public static JsonNode toJson(Document document) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (document == null || document.isNull()) {
      return f.nullNode();
    }
    if (document.isMap()) {
      ObjectNode object = f.objectNode();
      document.asMap().forEach((key, value) -> object.set(key, toJson(value)));
      return object;
    }
    if (document.isList()) {
      ArrayNode array = f.arrayNode();
      document.asList().forEach(element -> array.add(toJson(element)));
      return array;
    }
    if (document.isBoolean()) {
      return f.booleanNode(document.asBoolean());
    }
    if (document.isNumber()) {
      String text = document.asNumber().stringValue();
      return text.matches("-?\\d+") ? f.numberNode(new java.math.BigInteger(text))
          : f.numberNode(new java.math.BigDecimal(text));
    }
    return f.textNode(document.asString());
  }
}
