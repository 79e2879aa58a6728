"""Provinces, districts and subdistricts, loaded from the geothai package (DOPA codes)."""

import geothai


def load_geography(Province, District, Subdistrict):
    """Create or refresh every province, district and subdistrict of Thailand.

    Takes the model classes so that a data migration can pass its historical models.
    Side effects: inserts missing rows and updates names that geothai changed.
    """
    provinces = [Province(code=p.code, name_th=p.name_th, name_en=p.name_en) for p in geothai.provinces()]
    districts, subdistricts = [], []
    for province in geothai.provinces():
        for d in geothai.districts(province.code):
            districts.append(District(code=d.code, province_id=d.province_code, name_th=d.name_th,
                                      name_en=d.name_en))
            for s in geothai.subdistricts(d.code):
                subdistricts.append(Subdistrict(code=s.code, district_id=s.district_code, name_th=s.name_th,
                                                name_en=s.name_en, postcodes=" ".join(s.postal_codes)))
    for model, rows, fields in (
        (Province, provinces, ["name_th", "name_en"]),
        (District, districts, ["province", "name_th", "name_en"]),
        (Subdistrict, subdistricts, ["district", "name_th", "name_en", "postcodes"]),
    ):
        model.objects.bulk_create(rows, batch_size=1000, update_conflicts=True, unique_fields=["code"],
                                  update_fields=fields)
