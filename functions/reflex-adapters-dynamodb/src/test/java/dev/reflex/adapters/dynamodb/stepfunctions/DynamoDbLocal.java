package dev.reflex.adapters.dynamodb.stepfunctions;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** DynamoDB Local in this JVM (no HTTP, no Docker): a fresh in-memory database per instance. */
final class DynamoDbLocal implements AutoCloseable {
    private final AmazonDynamoDBLocal database = DynamoDBEmbedded.create();
    private final DynamoDbClient client = database.dynamoDbClient();

    DynamoDbClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        database.shutdown();
    }
}
