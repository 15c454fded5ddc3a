package dev.reflex.adapters.files.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.reflex.adapters.files.CatalogException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads one YAML document into {@link YamlNode}s that keep their line numbers. */
public final class YamlReader {

  private static final YAMLFactory FACTORY = new YAMLFactory();

  private YamlReader() {}

  /**
   * @param file the name used in error messages
   * @throws CatalogException on a syntax error, a duplicate key or an empty document
   */
  public static YamlNode read(String text, String file) {
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new CatalogException(file, 1, "the file is empty");
      }
      return node(parser, file);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new CatalogException(file, at == null ? 1 : at.getLineNr(),
          "invalid YAML: " + firstLine(e.getOriginalMessage()), e);
    } catch (IOException e) {
      throw new CatalogException(file, 1, "cannot read: " + e.getMessage(), e);
    }
  }

  private static YamlNode node(JsonParser parser, String file) throws IOException {
    JsonToken token = parser.currentToken();
    int line = parser.currentTokenLocation().getLineNr();
    switch (token) {
      case START_OBJECT -> {
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        Map<String, Integer> keyLines = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          int keyLine = parser.currentTokenLocation().getLineNr();
          if (entries.containsKey(key)) {
            throw new CatalogException(file, keyLine, "duplicate key '" + key + "'");
          }
          parser.nextToken();
          entries.put(key, node(parser, file));
          keyLines.put(key, keyLine);
        }
        return new YamlNode.MapNode(entries, keyLines, file, line);
      }
      case START_ARRAY -> {
        List<YamlNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(node(parser, file));
        }
        return new YamlNode.ListNode(items, file, line);
      }
      case VALUE_STRING -> {
        return new YamlNode.Scalar(parser.getText(), parser.getText(), file, line);
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return new YamlNode.Scalar(parser.getNumberValue(), parser.getText(), file, line);
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return new YamlNode.Scalar(token == JsonToken.VALUE_TRUE, parser.getText(), file, line);
      }
      case VALUE_NULL -> {
        return new YamlNode.Scalar(null, "", file, line);
      }
      default -> throw new CatalogException(file, line, "unsupported YAML token " + token);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "syntax error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
