# CSV → JSON: sums the amount column per name.
import csv, json

totals = {}
with open("/in/data.csv", newline="") as f:
    for row in csv.DictReader(f):
        totals[row["name"]] = totals.get(row["name"], 0) + int(row["amount"])
with open("/out/totals.json", "w") as f:
    json.dump(totals, f, sort_keys=True)
print(json.dumps(totals, sort_keys=True))
