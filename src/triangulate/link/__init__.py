"""Link: the event records of one real-world incident, across documents, become one incident."""
