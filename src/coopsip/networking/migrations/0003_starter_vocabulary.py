"""The cooperative's starter vocabulary of sectors and skills (nl/fr/en, synonyms, parents); staff edit it after.

Rows that exist (by slug) are left as they are: staff may have changed them.
"""

from django.db import migrations

# slug, parent slug, nl, fr, en, synonyms
SECTORS = [
    ("audiovisual", None, "Audiovisueel", "Audiovisuel", "Audiovisual", "film, video, cinema, televisie, télévision"),
    ("photography-sector", "audiovisual", "Fotografie", "Photographie", "Photography", "fotograaf, photographe, photographer"),
    ("music", None, "Muziek", "Musique", "Music", "muzikant, musicien, musician, concert"),
    ("performing-arts", None, "Podiumkunsten", "Arts de la scène", "Performing arts", "theater, théâtre, dans, danse, dance, circus, cirque"),
    ("visual-arts", None, "Beeldende kunst", "Arts plastiques", "Visual arts", "kunstenaar, artiste, artist, schilder, peintre, painter"),
    ("design", None, "Grafisch ontwerp en communicatie", "Graphisme et communication", "Graphic design and communication", "grafisch, graphiste, designer, illustratie, illustration"),
    ("writing", None, "Schrijven en uitgeven", "Écriture et édition", "Writing and publishing", "auteur, author, vertaling, traduction, translation"),
    ("digital", None, "IT en digitaal", "Informatique et numérique", "IT and digital", "web, developer, développeur, ontwikkelaar, software"),
    ("training", None, "Onderwijs en vorming", "Enseignement et formation", "Education and training", "lesgever, formateur, trainer, workshop, atelier"),
    ("crafts", None, "Ambachten", "Artisanat", "Crafts", "ambachtsman, artisan, maker"),
    ("events", None, "Evenementen en cultuurbeheer", "Événementiel et gestion culturelle", "Events and cultural management", "productie, production, organisatie, organisation"),
]
# slug, parent slug, sector slug, nl, fr, en, synonyms
SKILLS = [
    ("photography", None, "photography-sector", "Fotografie", "Photographie", "Photography", "fotograaf, fotografen, photographe, photographer"),
    ("event-photography", "photography", "photography-sector", "Eventfotografie", "Photographie d'événements", "Event photography", "reportage, huwelijk, mariage, wedding"),
    ("portrait-photography", "photography", "photography-sector", "Portretfotografie", "Photographie de portrait", "Portrait photography", "portret, portrait, headshot"),
    ("video-editing", None, "audiovisual", "Videomontage", "Montage vidéo", "Video editing", "monteur, monteuse, editor, montage"),
    ("camera", None, "audiovisual", "Camerawerk", "Prise de vue", "Camera work", "cameraman, cadreur, camera operator, videograaf, vidéaste"),
    ("sound-engineering", None, "music", "Geluidstechniek", "Ingénierie du son", "Sound engineering", "geluidstechnicus, ingénieur du son, sound engineer, mixage, mixing"),
    ("live-sound", "sound-engineering", "music", "Livegeluid", "Son live", "Live sound", "front of house, sonorisation, PA"),
    ("composition", None, "music", "Compositie", "Composition", "Composition", "componist, compositeur, composer"),
    ("lighting", None, "performing-arts", "Lichttechniek", "Éclairage", "Lighting", "belichting, lichtontwerp, éclairagiste, lighting designer"),
    ("stage-management", None, "performing-arts", "Regie en productieleiding", "Régie", "Stage management", "regisseur, régisseur, stage manager"),
    ("acting", None, "performing-arts", "Acteren", "Jeu d'acteur", "Acting", "acteur, actrice, comédien, actor"),
    ("illustration", None, "design", "Illustratie", "Illustration", "Illustration", "illustrator, illustrateur, tekenaar, dessinateur"),
    ("graphic-design", None, "design", "Grafisch ontwerp", "Graphisme", "Graphic design", "grafisch ontwerper, graphiste, layout, mise en page, logo"),
    ("social-media", None, "design", "Sociale media", "Réseaux sociaux", "Social media", "community management, communicatie, communication"),
    ("translation", None, "writing", "Vertaling", "Traduction", "Translation", "vertaler, traducteur, translator"),
    ("copywriting", None, "writing", "Copywriting", "Rédaction", "Copywriting", "tekstschrijver, rédacteur, copywriter"),
    ("web-development", None, "digital", "Webontwikkeling", "Développement web", "Web development", "website, site web, ontwikkelaar, développeur, developer"),
    ("workshops", None, "training", "Workshops geven", "Animation d'ateliers", "Running workshops", "workshop, atelier, animateur, lesgever"),
    ("woodwork", None, "crafts", "Houtbewerking", "Travail du bois", "Woodwork", "schrijnwerker, menuisier, carpenter, decor, décor"),
    ("textile", None, "crafts", "Textiel", "Textile", "Textile", "kostuum, costume, naaister, couturière, sewing"),
    ("production", None, "events", "Productie", "Production", "Production", "producent, producteur, producer, organisatie"),
    ("subsidy-applications", None, "events", "Subsidiedossiers", "Dossiers de subsides", "Grant applications", "subsidie, subside, grant, aanvraag, projectoproep, appel à projets"),
]


def load(apps, schema_editor):
    Sector = apps.get_model("networking", "Sector")
    Skill = apps.get_model("networking", "Skill")
    sectors = {}
    for slug, parent, nl, fr, en, synonyms in SECTORS:
        sector, _created = Sector.objects.get_or_create(
            slug=slug,
            defaults={"name": en, "name_nl": nl, "name_fr": fr, "name_en": en, "synonyms": synonyms,
                      "parent": sectors.get(parent)},
        )
        sectors[slug] = sector
    skills = {}
    for slug, parent, sector, nl, fr, en, synonyms in SKILLS:
        skill, _created = Skill.objects.get_or_create(
            slug=slug,
            defaults={"name": en, "name_nl": nl, "name_fr": fr, "name_en": en, "synonyms": synonyms,
                      "parent": skills.get(parent), "sector": sectors.get(sector)},
        )
        skills[slug] = skill


class Migration(migrations.Migration):
    dependencies = [("networking", "0002_search_index")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
